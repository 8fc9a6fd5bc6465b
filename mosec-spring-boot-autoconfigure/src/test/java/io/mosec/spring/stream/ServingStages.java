package io.mosec.spring.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.EventSink;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.StreamClosedException;
import io.mosec.spring.api.StreamWorker;
import io.mosec.spring.api.Worker;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Stages for streaming, routes that share a stage, and validated inputs, run in worker
 * processes. Each answer says which process produced it.
 */
public final class ServingStages {

	private ServingStages() {
	}

	/** An input that says which route it came in on. */
	public record Tagged(String route) {

	}

	/** Who handled a tagged input, and the routes of its batch-mates. */
	public record TagResult(String route, long pid, List<String> batch) {

	}

	/** Shared by two routes: answers with its pid and the routes of every input of the batch. */
	@MosecStage(name = "tag", maxBatchSize = 8, maxWaitTime = "300ms", num = 2)
	public static class Tag implements BatchWorker<Tagged, TagResult> {

		@Override
		public List<TagResult> forward(List<Tagged> batch) {
			List<String> routes = batch.stream().map(Tagged::route).toList();
			long pid = ProcessHandle.current().pid();
			return batch.stream().map((tagged) -> new TagResult(tagged.route(), pid, routes)).toList();
		}

	}

	/** After {@link Tag} on one route only: answers with text instead of an object. */
	@MosecStage(name = "describe")
	public static class Describe implements Worker<TagResult, String> {

		@Override
		public String forward(TagResult result) {
			return result.route() + " from pid " + result.pid() + " batched with " + result.batch();
		}

	}

	/**
	 * A request for a count: {@code count} events, a pause between them, optionally a failure
	 * at one of them, a file to wait for after the first, and a file to note where it stopped.
	 */
	public record CountRequest(@Min(1) @Max(10_000) int count, Long pauseMillis, Integer failAt, String awaitFile,
			String stoppedFile) {

	}

	/** One event of a count. */
	public record Tick(int n, long pid) {

	}

	/** Counts, one event at a time. */
	@MosecStage(name = "count", timeout = "30s")
	public static class Count implements StreamWorker<CountRequest, Tick> {

		@Override
		public void forward(CountRequest request, EventSink<Tick> events) throws Exception {
			int n = 0;
			try {
				for (n = 1; n <= request.count(); n++) {
					if (request.failAt() != null && request.failAt() == n) {
						throw new IllegalStateException("count failed at " + n);
					}
					events.send(new Tick(n, ProcessHandle.current().pid()));
					if (n == 1 && request.awaitFile() != null) {
						awaitFile(Path.of(request.awaitFile()));
					}
					if (request.pauseMillis() != null) {
						Thread.sleep(request.pauseMillis());
					}
				}
			}
			catch (StreamClosedException ex) {
				if (request.stoppedFile() != null) {
					Files.writeString(Path.of(request.stoppedFile()), Integer.toString(n));
				}
				throw ex;
			}
		}

		private static void awaitFile(Path file) throws InterruptedException, IOException {
			// The test creates the file once it has read the first event: proof that it arrived mid-stream.
			for (int i = 0; i < 1000 && !Files.exists(file); i++) {
				Thread.sleep(10);
			}
			if (!Files.exists(file)) {
				throw new IOException("the client never saw the first event");
			}
		}

		@Override
		public List<CountRequest> examples() {
			return List.of(new CountRequest(2, null, null, null, null));
		}

	}

	/** Words: a stream of text events. */
	@MosecStage(name = "words")
	public static class Words implements StreamWorker<String, String> {

		@Override
		public void forward(String text, EventSink<String> events) {
			for (String word : text.split(" ")) {
				events.send(word);
			}
		}

	}

	/** A person to greet, with constraints. */
	public record Person(@NotBlank @Size(max = 100) String name, @NotNull @Min(0) @Max(150) Integer age) {

	}

	/** A greeting. */
	public record Greeting(String text) {

	}

	/** Greets people, in batches: an invalid person must not fail its batch-mates. */
	@MosecStage(name = "greet", maxBatchSize = 4, maxWaitTime = "300ms")
	public static class Greet implements BatchWorker<Person, Greeting> {

		@Override
		public List<Greeting> forward(List<Person> batch) {
			return batch.stream().map((person) -> new Greeting("Hello " + person.name() + " (" + person.age() + ")")).toList();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Tag.class, Describe.class, Count.class, Words.class, Greet.class })
	public static class Application {

		public static void main(String[] args) {
			SpringApplication.run(Application.class, args);
		}

	}

}
