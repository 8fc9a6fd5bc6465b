package io.mosec.spring.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A stage that records meters of its own, as a user's would: it injects the registry.
 */
public final class MeteredStages {

	private MeteredStages() {
	}

	/**
	 * @param value recorded as the last value seen
	 * @param users how many users to count one request each for, each its own tag value
	 */
	public record Request(int value, Integer users) {

	}

	public record Answer(int value, long pid) {

	}

	@MosecStage(name = "counting", maxBatchSize = 4, maxWaitTime = "5ms")
	public static class Counting implements BatchWorker<Request, Answer> {

		private final MeterRegistry registry;

		private final Counter items;

		private final Timer batches;

		private final AtomicInteger last;

		public Counting(MeterRegistry registry) {
			this.registry = registry;
			this.items = Counter.builder("stage.items").tag("model", "test").register(registry);
			this.batches = Timer.builder("stage.batch.time").register(registry);
			this.last = registry.gauge("stage.last.value", new AtomicInteger());
		}

		@Override
		public List<Answer> forward(List<Request> batch) {
			return this.batches.record(() -> batch.stream().map((request) -> {
				this.items.increment();
				this.last.set(request.value());
				for (int i = 0; i < ((request.users() != null) ? request.users() : 0); i++) {
					this.registry.counter("stage.by.user", "user", "u" + i).increment();
				}
				return new Answer(request.value(), ProcessHandle.current().pid());
			}).toList());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Counting.class)
	public static class Application {

		public static void main(String[] args) {
			SpringApplication.run(Application.class, args);
		}

	}

}
