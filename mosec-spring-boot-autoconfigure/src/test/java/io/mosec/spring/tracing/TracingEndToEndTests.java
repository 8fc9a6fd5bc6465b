package io.mosec.spring.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosec.spring.test.LocalHttp;
import io.mosec.testing.ZipkinCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One request through two stages gives one trace: Boot's HTTP server span; for each stage a
 * {@code mosec.queue} and a {@code mosec.forward} span under it, tagged with the stage, the
 * worker and the batch size; the worker's {@code mosec.worker} span under the forward span; and
 * under that the spans the stage opened itself (through an {@code ObservationRegistry}, through
 * a {@code Tracer}), from the worker process in process mode. Exported with Brave to Zipkin's
 * API, as a user would set it up, and collected in memory.
 */
class TracingEndToEndTests {

	static final ZipkinCollector zipkin = ZipkinCollector.started();

	@DynamicPropertySource
	static void exportToTheCollector(DynamicPropertyRegistry registry) {
		registry.add("management.tracing.export.zipkin.endpoint", zipkin::endpoint);
	}

	@AfterAll
	static void stopTheCollector() {
		zipkin.close();
	}

	abstract static class Scenario {

		@LocalServerPort
		int port;

		@Test
		void followsARequestThroughBothStagesAndIntoTheirWorkersInOneTrace() throws Exception {
			String text = "trace " + System.nanoTime() + " me";
			assertThat(new LocalHttp(this.port).post("/traced", "{\"text\": \"" + text + "\"}").body())
				.isEqualTo("{\"count\":3}");
			List<JsonNode> trace = await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> traceWith(text), (spans) -> spans.size() >= 9);
			JsonNode server = one(trace, (span) -> "SERVER".equals(span.path("kind").asText()));
			for (String stage : List.of("tokenize", "count")) {
				JsonNode queue = one(trace, named("mosec.queue", stage));
				JsonNode forward = one(trace, named("mosec.forward", stage));
				JsonNode worker = one(trace, named("mosec.worker", stage));
				assertThat(parent(queue)).as("%s's queue span's parent", stage).isEqualTo(server.path("id").asText());
				assertThat(parent(forward)).as("%s's forward span's parent", stage).isEqualTo(server.path("id").asText());
				assertThat(parent(worker)).as("%s's worker span's parent", stage).isEqualTo(forward.path("id").asText());
				assertThat(forward.path("tags").path("mosec.worker").asText()).isEqualTo("1");
				assertThat(forward.path("tags").path("mosec.batch.size").asText()).isEqualTo("1");
				assertThat(queue.path("duration").asLong() + forward.path("duration").asLong())
					.isLessThanOrEqualTo(server.path("duration").asLong());
			}
			assertThat(parent(one(trace, (span) -> span.path("name").asText().equals("stage.tokenize"))))
				.isEqualTo(one(trace, named("mosec.worker", "tokenize")).path("id").asText());
			assertThat(parent(one(trace, (span) -> span.path("name").asText().equals("stage.count"))))
				.isEqualTo(one(trace, named("mosec.worker", "count")).path("id").asText());
		}

		/** The trace of the request with this text, which the tokenize stage's own span carries. */
		private List<JsonNode> traceWith(String text) {
			List<JsonNode> spans = zipkin.spans();
			Map<String, List<JsonNode>> traces = spans.stream()
				.collect(Collectors.groupingBy((span) -> span.path("traceId").asText()));
			Optional<List<JsonNode>> found = traces.values()
				.stream()
				.filter((trace) -> trace.stream().anyMatch((span) -> span.path("name").asText().equals("stage.count")))
				.filter((trace) -> trace.stream().anyMatch((span) -> text.equals(span.path("tags").path("text").asText())))
				.findFirst();
			return found.orElse(List.of());
		}

	}

	@Nested
	@SpringBootTest(classes = TracedStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "mosec.worker.mode=process", "mosec.routes[0].path=/traced",
					"mosec.routes[0].stages=tokenize,count", "management.tracing.sampling.probability=1.0" })
	@AutoConfigureTracing
	@DirtiesContext
	class InWorkerProcesses extends Scenario {

	}

	@Nested
	@SpringBootTest(classes = TracedStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "mosec.worker.mode=thread", "mosec.routes[0].path=/traced",
					"mosec.routes[0].stages=tokenize,count", "management.tracing.sampling.probability=1.0" })
	@AutoConfigureTracing
	@DirtiesContext
	class InThreads extends Scenario {

	}

	private static Predicate<JsonNode> named(String name, String stage) {
		return (span) -> span.path("name").asText().equals(name)
				&& span.path("tags").path("mosec.stage").asText().equals(stage);
	}

	private static JsonNode one(List<JsonNode> trace, Predicate<JsonNode> which) {
		List<JsonNode> matching = trace.stream().filter(which).toList();
		assertThat(matching).as("spans of " + trace).hasSize(1);
		return matching.get(0);
	}

	private static String parent(JsonNode span) {
		return span.path("parentId").asText();
	}

}
