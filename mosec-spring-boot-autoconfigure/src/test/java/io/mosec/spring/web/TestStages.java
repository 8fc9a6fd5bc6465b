package io.mosec.spring.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Stages for end-to-end tests: each behaves by the {@code mode} of its input.
 */
final class TestStages {

	/** Holds the {@code slow} stage until a test lets it go. */
	static volatile CountDownLatch gate = new CountDownLatch(1);

	/** The values the {@code slow} stage's forward has been called with. */
	static final List<Integer> slowForwarded = new CopyOnWriteArrayList<>();

	private TestStages() {
	}

	record Request(Integer value, String mode) {

	}

	record Response(int value, int batchSize) {

	}

	@MosecStage(name = "parse", order = 1, num = 2)
	static class Parse implements Worker<Request, Request> {

		@Override
		public Request forward(Request request) {
			String mode = (request.mode() != null) ? request.mode() : "";
			return switch (mode) {
				case "invalid" -> throw new ValidationException("value must be positive");
				case "client" -> throw new ClientException("mode not supported");
				case "server" -> throw new ServerException("the model failed");
				case "boom" -> throw new IllegalStateException("secret internal detail at /etc/secret");
				default -> request;
			};
		}

		@Override
		public List<Request> examples() {
			return List.of(new Request(1, null));
		}

	}

	@MosecStage(name = "batch", order = 2, maxBatchSize = 8, maxWaitTime = "50ms")
	static class Batch implements BatchWorker<Request, Response> {

		@Override
		public List<Response> forward(List<Request> batch) {
			List<Response> responses = new ArrayList<>();
			for (Request request : batch) {
				responses.add(new Response(request.value() * 2, batch.size()));
			}
			if (batch.stream().anyMatch((request) -> "short".equals(request.mode()))) {
				responses.remove(0);
			}
			return responses;
		}

	}

	@MosecStage(name = "slow", order = 3)
	static class Slow implements Worker<Request, Response> {

		@Override
		public Response forward(Request request) throws InterruptedException {
			slowForwarded.add(request.value());
			gate.await(30, TimeUnit.SECONDS);
			return new Response(request.value(), 1);
		}

	}

	@MosecStage(name = "reverse", order = 4)
	static class Reverse implements Worker<byte[], byte[]> {

		@Override
		public byte[] forward(byte[] input) {
			byte[] output = new byte[input.length];
			for (int i = 0; i < input.length; i++) {
				output[i] = input[input.length - 1 - i];
			}
			return output;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Parse.class, Batch.class, Slow.class, Reverse.class })
	static class Application {

	}

}
