package io.mosec.spring.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Stages for tests with real worker processes. Each answer says which process produced it.
 */
public final class ProcessStages {

	private ProcessStages() {
	}

	public record Request(int value, String mode, Integer sleep) {

	}

	public record Answer(int value, long pid, String env, int batchSize) {

	}

	/**
	 * Answers with its pid and environment; sleeps when asked (a slow model), exits when asked (a
	 * crash), and records the pid of every process that constructed it.
	 */
	@MosecStage(name = "echo", order = 1)
	public static class Echo implements Worker<Request, Answer> {

		private final String forwardFile;

		public Echo(@Value("${test.constructed-file:}") String constructedFile,
				@Value("${test.forward-file:}") String forwardFile) throws IOException {
			this.forwardFile = forwardFile;
			append(constructedFile, Long.toString(ProcessHandle.current().pid()));
		}

		private static void append(String file, String line) throws IOException {
			if (!file.isEmpty()) {
				Files.writeString(Path.of(file), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
		}

		@Override
		public Answer forward(Request request) throws InterruptedException, IOException {
			append(this.forwardFile, Integer.toString(request.value()));
			if ("invalid".equals(request.mode())) {
				throw new ValidationException("value must be positive");
			}
			if ("log".equals(request.mode())) {
				LoggerFactory.getLogger(Echo.class).info("echo logs value {}", request.value());
			}
			if ("crash".equals(request.mode())) {
				Runtime.getRuntime().halt(42);
			}
			if (request.sleep() != null) {
				Thread.sleep(request.sleep());
			}
			return new Answer(request.value(), ProcessHandle.current().pid(), System.getenv("MOSEC_TEST_WORKER"), 1);
		}

		@Override
		public List<Request> examples() {
			return List.of(new Request(0, null, null));
		}

	}

	/** Doubles values, in batches. */
	@MosecStage(name = "double", order = 2, maxBatchSize = 8, maxWaitTime = "20ms")
	public static class Double implements BatchWorker<Answer, Answer> {

		@Override
		public List<Answer> forward(List<Answer> batch) {
			List<Answer> answers = new ArrayList<>();
			for (Answer answer : batch) {
				answers.add(new Answer(answer.value() * 2, answer.pid(), answer.env(), batch.size()));
			}
			return answers;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Echo.class, Double.class })
	public static class Application {

		public static void main(String[] args) {
			SpringApplication.run(Application.class, args);
		}

	}

}
