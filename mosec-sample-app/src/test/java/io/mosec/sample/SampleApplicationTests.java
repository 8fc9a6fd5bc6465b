package io.mosec.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.testing.ZipkinCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedding service as an OpenAI client sees it, with its stages in worker processes, traced
 * as the README sets it up (to an in-memory Zipkin here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.tracing.enabled=true")
@AutoConfigureWebTestClient
@AutoConfigureMetrics
@AutoConfigureTracing
class SampleApplicationTests {

	static final MediaType MSGPACK = MediaType.parseMediaType("application/msgpack");

	static final ZipkinCollector zipkin = ZipkinCollector.started();

	@DynamicPropertySource
	static void exportToTheCollector(DynamicPropertyRegistry registry) {
		registry.add("management.tracing.export.zipkin.endpoint", zipkin::endpoint);
	}

	@AfterAll
	static void stopTheCollector() {
		zipkin.close();
	}

	@Autowired
	WebTestClient client;

	@Test
	void embedsOneText() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"Hello, batching world\", \"model\": \"all-minilm-l6-v2\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.object").isEqualTo("list")
			.jsonPath("$.model").isEqualTo("all-minilm-l6-v2")
			.jsonPath("$.data.length()").isEqualTo(1)
			.jsonPath("$.data[0].object").isEqualTo("embedding")
			.jsonPath("$.data[0].index").isEqualTo(0)
			.jsonPath("$.data[0].embedding.length()").isEqualTo(EmbeddingModel.DIMENSIONS)
			.jsonPath("$.usage.prompt_tokens").isEqualTo(7)
			.jsonPath("$.usage.total_tokens").isEqualTo(7);
	}

	@Test
	void servesTheProbesTheKubernetesManifestsUse() {
		for (String probe : java.util.List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
			this.client.get().uri(probe).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		}
	}

	@Test
	void documentsTheRouteInOpenApiAndServesSwaggerUi() {
		this.client.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.paths['/v1/embeddings'].post.requestBody.content['application/json'].schema.$ref")
			.isEqualTo("#/components/schemas/EmbeddingRequest")
			.jsonPath("$.paths['/v1/embeddings'].post.responses['200'].content['application/msgpack'].schema.$ref")
			.isEqualTo("#/components/schemas/EmbeddingResponse")
			.jsonPath("$.paths['/v1/embeddings'].post.responses['422'].description").exists();
		this.client.get().uri("/webjars/swagger-ui/index.html").exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
	}

	@Test
	void embedsAListOfTextsInOrder() throws Exception {
		byte[] body = this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": [\"a cat\", \"a dog\", \"the stock market fell sharply today\"]}")
			.exchange()
			.expectStatus().isOk()
			.expectBody(byte[].class).returnResult().getResponseBody();
		JsonNode data = JsonMapper.builder().build().readTree(body).get("data");
		assertThat(data).hasSize(3);
		for (int i = 0; i < 3; i++) {
			assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
			assertThat(norm(data.get(i).get("embedding"))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
		}
		assertThat(dot(data.get(0).get("embedding"), data.get(1).get("embedding")))
			.isGreaterThan(dot(data.get(0).get("embedding"), data.get(2).get("embedding")));
	}

	@Test
	void speaksMsgpack() throws Exception {
		MessagePackMapper msgpack = new MessagePackMapper();
		byte[] body = this.client.post().uri("/v1/embeddings").contentType(MSGPACK)
			.bodyValue(msgpack.writeValueAsBytes(Map.of("input", List.of("msgpack too"))))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MSGPACK)
			.expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(msgpack.readTree(body).get("data").get(0).get("embedding")).hasSize(EmbeddingModel.DIMENSIONS);
	}

	@Test
	void truncatesATextLongerThanTheModelsMaximum() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"" + "word ".repeat(2000) + "\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.usage.prompt_tokens").isEqualTo(EmbeddingModel.MAX_TOKENS);
	}

	@Test
	void rejectsAMissingOrEmptyInputWith422() {
		for (String body : List.of("{}", "{\"input\": []}", "{\"input\": \"\"}", "{\"input\": [\"ok\", \"\"]}")) {
			this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
				.exchange()
				.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
				.expectBody().jsonPath("$.detail").value((String detail) -> assertThat(detail)
					.startsWith("request validation error: 'input"));
		}
	}

	@Test
	void rejectsMoreTextsThanTheMaximumWith422() {
		String texts = String.join(",", java.util.Collections.nCopies(257, "\"x\""));
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": [" + texts + "]}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.detail")
			.isEqualTo("request validation error: 'input' holds 257 texts, more than the maximum of 256");
	}

	@Test
	void rejectsAnotherModelWith422() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"x\", \"model\": \"text-embedding-3-large\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
	}

	@Test
	void rejectsAnInputOfTheWrongShapeWith400() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": {\"text\": \"x\"}}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("$.input"));
	}

	@Test
	void chartsOnlyMetricFamiliesTheServiceExportsOnItsDashboard() throws Exception {
		embedsOneText();
		String scrape = this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		Set<String> exported = new HashSet<>();
		Matcher samples = Pattern.compile("(?m)^(mosec_service_\\w+)").matcher(scrape);
		while (samples.find()) {
			exported.add(samples.group(1));
		}
		Set<String> charted = new HashSet<>();
		JsonNode dashboard = JsonMapper.builder().build().readTree(Path.of("grafana/mosec-dashboard.json").toFile());
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				Matcher families = Pattern.compile("mosec_service_\\w+").matcher(target.get("expr").asText());
				while (families.find()) {
					charted.add(families.group());
				}
			}
		}
		assertThat(charted).hasSizeGreaterThan(8);
		assertThat(exported).containsAll(charted);
	}

	/**
	 * The dashboard's latency panels, computed as Prometheus computes them: {@code histogram_quantile}
	 * over the buckets' increase between two scrapes. The median of a few requests cannot exceed
	 * twice the slowest of them as the client saw it (when every sub-second duration landed in
	 * {@code le="1.024"}, it read 0.5-1 s).
	 */
	@Test
	void chartsRequestLatencyThatMatchesWhatTheClientSaw() {
		String before = scrape();
		long slowest = 0;
		for (int i = 0; i < 5; i++) {
			long started = System.nanoTime();
			embedsOneText();
			slowest = Math.max(slowest, System.nanoTime() - started);
		}
		String after = scrape();
		for (String stage : List.of("total", "embed", "tokenize")) {
			double median = histogramQuantile(0.5, before, after, "mosec_service_process_duration_second", stage);
			assertThat(median).as("median process duration of stage " + stage).isPositive()
				.isLessThanOrEqualTo(2 * slowest / 1e9 + 0.002);
		}
	}

	/**
	 * What the stages record in their worker processes reaches the server's scrape, with the stage
	 * and the worker: the tokenizer's tokens per text, the inference observation's timer.
	 */
	@Test
	void publishesWhatItsStagesRecordInTheirWorkers() {
		double before = sample(scrape(), "embedding_input_tokens_count", "tokenize");
		embedsOneText();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
			.until(() -> sample(scrape(), "embedding_input_tokens_count", "tokenize") >= before + 1);
		String scrape = scrape();
		assertThat(sample(scrape, "embedding_input_tokens_sum", "tokenize")).isGreaterThanOrEqualTo(7);
		assertThat(sample(scrape, "embedding_inference_seconds_count", "embed")).isPositive();
		assertThat(scrape).containsPattern("(?m)^embedding_input_tokens_count\\{stage=\"tokenize\",worker=\"1\"}");
	}

	/**
	 * One request, one trace: the HTTP server span, each stage's queue and forward spans, the
	 * embed worker's span, and under it the model's own {@code embedding.inference}, which the
	 * worker process exported itself.
	 */
	@Test
	void tracesARequestThroughItsStagesIntoTheModel() {
		// A client that traces sends its context: the service's spans join the client's trace.
		String traceId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(System.nanoTime())
			.putLong(ThreadLocalRandom.current().nextLong()).array());
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.bodyValue("{\"input\": \"trace this text\"}")
			.exchange()
			.expectStatus().isOk();
		List<JsonNode> trace = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
			.until(() -> zipkin.spans().stream()
				.filter((span) -> span.path("traceId").asText().equals(traceId))
				.toList(), (spans) -> spans.stream().anyMatch((span) -> span.path("name").asText().equals("embedding.inference"))
						&& spans.stream().filter((span) -> span.path("name").asText().equals("mosec.forward")).count() == 2);
		JsonNode inference = trace.stream().filter((span) -> span.path("name").asText().equals("embedding.inference"))
			.findFirst().orElseThrow();
		JsonNode worker = trace.stream().filter((span) -> span.path("id").asText().equals(inference.path("parentId").asText()))
			.findFirst().orElseThrow();
		assertThat(worker.path("name").asText()).isEqualTo("mosec.worker");
		assertThat(worker.path("tags").path("mosec.stage").asText()).isEqualTo("embed");
		assertThat(trace).extracting((span) -> span.path("name").asText())
			.contains("mosec.queue", "mosec.forward", "mosec.worker", "embedding.inference");
	}

	/** A series' value, summed over the workers of a stage. */
	private static double sample(String scrape, String series, String stage) {
		Matcher samples = Pattern.compile("(?m)^" + series + "\\{[^}]*stage=\"" + stage + "\"[^}]*} (\\S+)$").matcher(scrape);
		double sum = 0;
		while (samples.find()) {
			sum += Double.parseDouble(samples.group(1));
		}
		return sum;
	}

	private String scrape() {
		return this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
	}

	/**
	 * Prometheus' {@code histogram_quantile} over what every series of a stage counted between two
	 * scrapes, summed by {@code le}.
	 */
	private static double histogramQuantile(double quantile, String before, String after, String family,
			String stage) {
		TreeMap<Double, Double> cumulative = buckets(after, family, stage);
		buckets(before, family, stage).forEach((le, count) -> cumulative.merge(le, -count, Double::sum));
		double total = cumulative.lastEntry().getValue();
		double rank = quantile * total;
		double lowerBound = 0;
		double lowerCount = 0;
		for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
			if (bucket.getValue() >= rank) {
				if (bucket.getKey().isInfinite()) {
					return lowerBound;
				}
				return lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / (bucket.getValue() - lowerCount);
			}
			lowerBound = bucket.getKey();
			lowerCount = bucket.getValue();
		}
		return lowerBound;
	}

	private static TreeMap<Double, Double> buckets(String scrape, String family, String stage) {
		Matcher buckets = Pattern.compile("(?m)^" + family + "_bucket\\{[^}]*stage=\"" + stage
				+ "\"[^}]*le=\"([^\"]+)\"[^}]*} (\\S+)$").matcher(scrape);
		TreeMap<Double, Double> cumulative = new TreeMap<>();
		while (buckets.find()) {
			double le = buckets.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(buckets.group(1));
			cumulative.merge(le, Double.parseDouble(buckets.group(2)), Double::sum);
		}
		return cumulative;
	}

	private static double norm(JsonNode vector) {
		return Math.sqrt(dot(vector, vector));
	}

	private static double dot(JsonNode a, JsonNode b) {
		double dot = 0;
		for (int i = 0; i < a.size(); i++) {
			dot += a.get(i).asDouble() * b.get(i).asDouble();
		}
		return dot;
	}

}
