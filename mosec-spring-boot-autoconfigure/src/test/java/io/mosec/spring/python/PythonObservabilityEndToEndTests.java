package io.mosec.spring.python;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.test.LocalHttp;
import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import io.mosec.testing.ZipkinCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python stage is measured and traced as a Java one: the meters it records with
 * {@code mosec.metrics} reach {@code /actuator/prometheus} with the stage's and worker's tags, and
 * {@code trace_context()} gives it the context of its request's {@code mosec.forward} span.
 */
@SpringBootTest(classes = PythonObservabilityEndToEndTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { Python.INTERPRETER_PROPERTY, "mosec.worker.mode=process",
				"mosec.stages.py-observed.python=src/test/resources/python/stages.py:Observed",
				"mosec.routes[0].path=/observed", "mosec.routes[0].stages=py-observed",
				"management.tracing.sampling.probability=1.0" })
@AutoConfigureMetrics
@AutoConfigureTracing
@DirtiesContext
@RequiresPython
class PythonObservabilityEndToEndTests {

	static final ZipkinCollector zipkin = ZipkinCollector.started();

	static final String TEXTS = "py_stage_texts_total{model=\"test\",stage=\"py-observed\",worker=\"1\"}";

	static final String INFERENCE = "py_stage_inference_seconds_count{stage=\"py-observed\",worker=\"1\"}";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.tracing.export.zipkin.endpoint", zipkin::endpoint);
	}

	@AfterAll
	static void stopTheCollector() {
		zipkin.close();
	}

	@Test
	void publishesThePythonStagesCounterAndTimerWithItsStageAndWorker() throws Exception {
		LocalHttp http = new LocalHttp(this.port);
		double before = sample(http, TEXTS);
		for (int i = 0; i < 3; i++) {
			assertThat(http.post("/observed", "{}").statusCode()).isEqualTo(200);
		}
		// Workers send their meters twice a second; the rest is slack for a loaded machine.
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
			.until(() -> sample(http, TEXTS) == before + 3);
		assertThat(sample(http, INFERENCE)).isGreaterThanOrEqualTo(3);
		assertThat(http.get("/actuator/prometheus").body()).contains("# TYPE py_stage_texts_total counter",
				"# HELP py_stage_texts_total Texts seen");
	}

	@Test
	void givesThePythonStageTheContextOfItsRequestsForwardSpan() throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
		// The client's own trace: the server's spans join it.
		HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/observed"))
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		String context = JsonMapper.builder().build().readTree(response.body()).path("trace").asText();
		assertThat(context).startsWith("00-" + traceId + "-").endsWith("-01");
		String spanId = context.split("-")[2];
		JsonNode forward = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
			.until(() -> zipkin.spans().stream()
				.filter((span) -> span.path("id").asText().equals(spanId))
				.findFirst().orElse(null), (span) -> span != null);
		assertThat(forward.path("name").asText()).isEqualTo("mosec.forward");
		assertThat(forward.path("traceId").asText()).isEqualTo(traceId);
		assertThat(forward.path("tags").path("mosec.stage").asText()).isEqualTo("py-observed");
	}

	private static double sample(LocalHttp http, String series) throws Exception {
		Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
			.matcher(http.get("/actuator/prometheus").body());
		return value.find() ? Double.parseDouble(value.group(1)) : 0;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
