package io.mosec.spring.tracing;

import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Two stages that trace their own work, as a user's would: one through an injected
 * {@code ObservationRegistry}, one through an injected {@code Tracer}.
 */
public final class TracedStages {

	private TracedStages() {
	}

	public record Request(String text) {

	}

	public record Tokens(List<String> tokens) {

	}

	public record Answer(int count) {

	}

	@MosecStage(name = "tokenize", order = 1)
	public static class Tokenize implements Worker<Request, Tokens> {

		private final ObservationRegistry observations;

		public Tokenize(ObservationRegistry observations) {
			this.observations = observations;
		}

		@Override
		public Tokens forward(Request request) {
			return Observation.createNotStarted("stage.tokenize", this.observations)
				.highCardinalityKeyValue("text", request.text())
				.observe(() -> new Tokens(List.of(request.text().split(" "))));
		}

	}

	@MosecStage(name = "count", order = 2, maxBatchSize = 4, maxWaitTime = "5ms")
	public static class Count implements BatchWorker<Tokens, Answer> {

		private final Tracer tracer;

		public Count(Tracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public List<Answer> forward(List<Tokens> batch) {
			Span span = this.tracer.nextSpan().name("stage.count").start();
			try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
				return batch.stream().map((tokens) -> new Answer(tokens.tokens().size())).toList();
			}
			finally {
				span.end();
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Tokenize.class, Count.class })
	public static class Application {

		public static void main(String[] args) {
			SpringApplication.run(Application.class, args);
		}

	}

}
