package io.mosec.spring.actuate;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.worker.ProcessStages;
import io.mosec.spring.test.Readiness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees: Mosec's metric families, health, probes and structured logs, with
 * stages in worker processes.
 */
@SpringBootTest(classes = ProcessStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=5s", "mosec.capacity=24",
				"mosec.routes[0].path=/echo", "mosec.routes[0].stages=echo",
				"mosec.routes[1].path=/batch", "mosec.routes[1].stages=double",
				"management.endpoint.health.show-details=always", "logging.structured.format.console=ecs" })
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class OperationsEndToEndTests {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

	final ObjectMapper json = JsonMapper.builder().build();

	@Autowired
	Pipeline pipeline;

	@BeforeEach
	void everyWorkerIsReady() {
		// The port opens once each stage has one ready worker; these tests are about all of them.
		Readiness.awaitEveryWorker(this.pipeline);
	}

	@LocalServerPort
	int port;

	@Test
	void exposesMosecsFamiliesWithTheirLabels() throws Exception {
		assertThat(post("/echo", "{\"value\": 1}").statusCode()).isEqualTo(200);
		assertThat(post("/batch", "{\"value\": 1}").statusCode()).isEqualTo(200);
		String scrape = get("/actuator/prometheus").body();
		assertThat(scrape).contains("# TYPE mosec_service_throughput_total counter",
				"# TYPE mosec_service_process_duration_second histogram",
				"# TYPE mosec_service_batch_size histogram", "# TYPE mosec_service_batch_duration_second histogram",
				"# TYPE mosec_service_remaining_task gauge");
		Map<String, Double> samples = samples(scrape);
		assertThat(samples).containsKeys("mosec_service_throughput_total{code=\"200\",endpoint=\"/echo\"}",
				"mosec_service_process_duration_second_bucket{connection=\"1\",stage=\"echo\",le=\"0.001\"}",
				"mosec_service_process_duration_second_count{connection=\"1\",stage=\"echo\"}",
				"mosec_service_process_duration_second_sum{connection=\"1\",stage=\"echo\"}",
				"mosec_service_process_duration_second_count{connection=\"total\",stage=\"total\"}",
				"mosec_service_process_duration_second_bucket{connection=\"total\",stage=\"total\",le=\"8.192\"}",
				"mosec_service_batch_size_count{connection=\"1\",stage=\"double\"}",
				"mosec_service_batch_duration_second_count{connection=\"1\",stage=\"double\"}",
				"mosec_service_live_workers{stage=\"echo\"}", "mosec_service_queued_tasks{stage=\"double\"}",
				"mosec_service_worker_restarts_total{stage=\"echo\"}");
		assertThat(samples.keySet()).noneMatch((key) -> key.startsWith("mosec_service_batch_size_count{connection=\"1\",stage=\"echo\""));
	}

	@Test
	void countsBatchesAboveOneAfterConcurrentRequestsToABatchingStage() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			calls.add(postAsync("/batch", "{\"value\": " + i + "}"));
		}
		for (CompletableFuture<HttpResponse<String>> call : calls) {
			assertThat(call.get().statusCode()).isEqualTo(200);
		}
		Map<String, Double> samples = samples(get("/actuator/prometheus").body());
		double batches = samples.get("mosec_service_batch_size_count{connection=\"1\",stage=\"double\"}");
		double singles = samples.get("mosec_service_batch_size_bucket{connection=\"1\",stage=\"double\",le=\"1.0\"}");
		assertThat(batches - singles).as("batches holding more than one request").isPositive();
		assertThat(samples.get("mosec_service_remaining_task")).isZero();
	}

	@Test
	void countsAnswersByStatusCode() throws Exception {
		assertThat(post("/echo", "{\"value\": 1, \"mode\": \"invalid\"}").statusCode()).isEqualTo(422);
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			calls.add(postAsync("/echo", "{\"value\": 1, \"sleep\": 50}"));
		}
		Map<Integer, Integer> codes = new HashMap<>();
		for (CompletableFuture<HttpResponse<String>> call : calls) {
			codes.merge(call.get().statusCode(), 1, Integer::sum);
		}
		assertThat(codes).containsOnlyKeys(200, 429);
		Map<String, Double> samples = samples(get("/actuator/prometheus").body());
		assertThat(samples.get("mosec_service_throughput_total{code=\"422\",endpoint=\"/echo\"}")).isGreaterThanOrEqualTo(1);
		assertThat(samples.get("mosec_service_throughput_total{code=\"429\",endpoint=\"/echo\"}"))
			.isGreaterThanOrEqualTo(codes.get(429));
		assertThat(samples.get("mosec_service_throughput_total{code=\"200\",endpoint=\"/echo\"}"))
			.isGreaterThanOrEqualTo(codes.get(200));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> samples(get("/actuator/prometheus").body()).get("mosec_service_remaining_task") == 0);
	}

	@Test
	void reportsDownWhileALoneWorkerIsDeadAndUpOnceItIsBack() throws Exception {
		assertThat(health().path("components").path("mosec").path("status").asText()).isEqualTo("UP");
		long pid = this.pipeline.pool("echo").status().readyPids().get(1);
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
			JsonNode mosec = health().path("components").path("mosec");
			return "DOWN".equals(mosec.path("status").asText())
					&& mosec.path("details").path("stages").path("echo").path("live").asInt() == 0;
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			JsonNode echo = health().path("components").path("mosec").path("details").path("stages").path("echo");
			return "UP".equals(health().path("components").path("mosec").path("status").asText())
					&& echo.path("ready").asInt() == 1 && echo.path("restarts").asInt() >= 1;
		});
		assertThat(post("/echo", "{\"value\": 2}").statusCode()).isEqualTo(200);
	}

	@Test
	void exposesHealthProbesInfoAndPrometheusButNothingElse() throws Exception {
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	@Test
	void logsWorkerLinesWithTheirStageAndWorkerAsFields(CapturedOutput output) throws Exception {
		assertThat(post("/echo", "{\"value\": 77, \"mode\": \"log\"}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("echo logs value 77"));
		String line = output.getOut().lines().filter((l) -> l.contains("echo logs value 77")).findFirst().orElseThrow();
		JsonNode event = this.json.readTree(line);
		JsonNode stage = event.has("mosec.stage") ? event.get("mosec.stage") : event.path("mosec").path("stage");
		JsonNode worker = event.has("mosec.worker") ? event.get("mosec.worker") : event.path("mosec").path("worker");
		assertThat(event.get("message").asText()).startsWith("[echo-1] INFO").endsWith(": echo logs value 77");
		assertThat(stage.asText()).isEqualTo("echo");
		assertThat(worker.asText()).isEqualTo("1");
	}

	private JsonNode health() throws IOException, InterruptedException {
		return this.json.readTree(get("/actuator/health").body());
	}

	static Map<String, Double> samples(String scrape) {
		Map<String, Double> samples = new HashMap<>();
		for (String line : scrape.split("\n")) {
			Matcher matcher = SAMPLE.matcher(line);
			if (!line.startsWith("#") && matcher.matches()) {
				String labels = (matcher.group(2) != null) ? matcher.group(2) : "";
				samples.put(matcher.group(1) + labels, Double.parseDouble(matcher.group(3)));
			}
		}
		return samples;
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return new LocalHttp(this.port).get(path);
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return new LocalHttp(this.port).post(path, body);
	}

	private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
		return new LocalHttp(this.port).postAsync(path, body);
	}

}
