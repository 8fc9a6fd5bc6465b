package io.mosec.spring.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The service of Mosec's own {@code tests/bad_req.py}: a preprocessing stage that refuses
 * inputs without {@code time}, and a batching stage that fails half of its batches unless
 * {@code time} is 0, sleeping {@code time} milliseconds otherwise.
 */
public final class ChaosStages {

	private ChaosStages() {
	}

	@MosecStage(name = "preprocess", order = 1, num = 2)
	public static class Preprocess implements Worker<Map<String, Object>, Map<String, Object>> {

		@Override
		public Map<String, Object> forward(Map<String, Object> input) {
			if (!(input.get("time") instanceof Number)) {
				throw new ValidationException("the field 'time' is missing");
			}
			return input;
		}

	}

	@MosecStage(name = "inference", order = 2, maxBatchSize = 32, maxWaitTime = "10ms")
	public static class Inference implements BatchWorker<Map<String, Object>, Map<String, Object>> {

		@Override
		public List<Map<String, Object>> forward(List<Map<String, Object>> batch) throws InterruptedException {
			long time = batch.stream().mapToLong((input) -> ((Number) input.get("time")).longValue()).max().orElse(0);
			if (time != 0 && ThreadLocalRandom.current().nextBoolean()) {
				throw new ServerException("random failure");
			}
			Thread.sleep(time);
			return batch;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Preprocess.class, Inference.class })
	public static class Application {

		public static void main(String[] args) {
			SpringApplication.run(Application.class, args);
		}

	}

}
