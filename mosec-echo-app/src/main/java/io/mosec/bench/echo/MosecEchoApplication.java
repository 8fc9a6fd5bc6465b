package io.mosec.bench.echo;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Mosec services made of the starter and trivial stages only, as a new user's first
 * application: {@code /echo} (one stage that returns its input), {@code /sleep} (a stage that
 * costs a fixed 20 ms per batch of up to 32) and {@code /pipeline} (four stages, five workers,
 * each passing its input on). A stage serves only when a route names it; {@code counted} is
 * {@code echo} with a counter of its own incremented per request, the cost of a stage-recorded
 * meter.
 */
@SpringBootApplication
public class MosecEchoApplication {

	public static void main(String[] args) {
		SpringApplication.run(MosecEchoApplication.class, args);
	}

	@MosecStage(name = "echo", num = 2)
	static class Echo implements Worker<byte[], byte[]> {

		@Override
		public byte[] forward(byte[] input) {
			return input;
		}

	}

	@MosecStage(name = "counted", num = 2)
	static class CountedEcho implements Worker<byte[], byte[]> {

		private final Counter requests;

		CountedEcho(MeterRegistry registry) {
			this.requests = Counter.builder("echo.requests").description("Requests the stage answered").register(registry);
		}

		@Override
		public byte[] forward(byte[] input) {
			this.requests.increment();
			return input;
		}

	}

	@MosecStage(name = "sleep", maxBatchSize = 32, num = 2)
	static class SleepBatch implements BatchWorker<byte[], byte[]> {

		@Override
		public List<byte[]> forward(List<byte[]> batch) throws InterruptedException {
			Thread.sleep(20);
			return batch;
		}

	}

	@MosecStage(name = "decode")
	static class Decode implements Worker<byte[], byte[]> {

		@Override
		public byte[] forward(byte[] input) {
			return input;
		}

	}

	@MosecStage(name = "score")
	static class Score implements Worker<byte[], byte[]> {

		@Override
		public byte[] forward(byte[] input) {
			return input;
		}

	}

	@MosecStage(name = "encode")
	static class Encode implements Worker<byte[], byte[]> {

		@Override
		public byte[] forward(byte[] input) {
			return input;
		}

	}

}
