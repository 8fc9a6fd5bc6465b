package io.mosec.sample;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with its inference stage in PyTorch ({@code --spring.profiles.active=torch}): Java
 * tokenising, then Python workers that build the model from the same ONNX file's weights. Its
 * vectors are the Java ONNX path's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// A batch waits for its mates here, so that concurrent requests surely share one.
		properties = { Python.INTERPRETER_PROPERTY, "mosec.stages.embed.max-wait-time=300ms" })
@ActiveProfiles(Embed.TORCH)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
@DirtiesContext
@RequiresPython({ "msgpack", "torch", "onnx", "numpy" })
class TorchSampleTests {

	/** Short, long, punctuated, non-English: runs of several lengths in one batch. */
	static final List<String> CORPUS = List.of("a cat", "a dog", "The cat sits on the mat.",
			"Dynamic batching groups requests that arrive close together.",
			"Spring Boot makes it easy to create stand-alone, production-grade applications.",
			"the stock market fell sharply today", "Wie spät ist es?", "北京是中国的首都。",
			"PyTorch and ONNX Runtime should agree to the fourth decimal place on every dimension.",
			"word ".repeat(300), "Hello World", "OK");

	@Autowired
	WebTestClient client;

	@Test
	void givesTheJavaModelsVectorsForTextsBatchedAcrossRequests() throws Exception {
		List<float[]> expected = Vectors.ofTheModel(CORPUS);
		// One request per text, all at once: the stage takes them as one batch.
		List<JsonNode> answers = Flux.range(0, CORPUS.size())
			.flatMapSequential((i) -> Mono.fromCallable(() -> embed(List.of(CORPUS.get(i))))
				.subscribeOn(Schedulers.boundedElastic()))
			.collectList()
			.block();
		for (int i = 0; i < CORPUS.size(); i++) {
			assertThat(Vectors.cosine(Vectors.of(answers.get(i).at("/data/0/embedding")), expected.get(i))).as(CORPUS.get(i))
				.isGreaterThan(0.999);
		}
		assertThat(batchedRequestsTogether()).isTrue();
	}

	@Test
	void givesTheJavaModelsVectorsAndUsageForManyTextsInOneRequest() throws Exception {
		List<float[]> expected = Vectors.ofTheModel(CORPUS);
		JsonNode answer = embed(CORPUS);
		assertThat(answer.at("/object").asText()).isEqualTo("list");
		assertThat(answer.at("/model").asText()).isEqualTo(EmbeddingModel.NAME);
		assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(tokens(CORPUS))
			.isEqualTo(answer.at("/usage/total_tokens").asInt());
		for (int i = 0; i < CORPUS.size(); i++) {
			assertThat(answer.at("/data/" + i + "/index").asInt()).isEqualTo(i);
			assertThat(Vectors.cosine(Vectors.of(answer.at("/data/" + i + "/embedding")), expected.get(i))).as(CORPUS.get(i))
				.isGreaterThan(0.999);
		}
	}

	@Test
	void answersBase64AndTeisArrayAsTheJavaStageDoes() throws Exception {
		float[] expected = Vectors.ofTheModel(List.of("Hello World")).get(0);
		byte[] body = this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"Hello World\", \"encoding_format\": \"base64\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody(byte[].class).returnResult().getResponseBody();
		java.nio.FloatBuffer decoded = java.nio.ByteBuffer
			.wrap(java.util.Base64.getDecoder().decode(JsonMapper.builder().build().readTree(body).at("/data/0/embedding").asText()))
			.order(java.nio.ByteOrder.LITTLE_ENDIAN)
			.asFloatBuffer();
		float[] base64 = new float[decoded.remaining()];
		decoded.get(base64);
		assertThat(Vectors.cosine(base64, expected)).isGreaterThan(0.999);
		byte[] tei = this.client.post().uri("/embed").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"inputs\": [\"Hello World\"]}")
			.exchange()
			.expectStatus().isOk()
			.expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(Vectors.cosine(Vectors.of(JsonMapper.builder().build().readTree(tei).get(0)), expected)).isGreaterThan(0.999);
	}

	private JsonNode embed(List<String> texts) throws Exception {
		byte[] body = this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(JsonMapper.builder().build().writeValueAsString(Map.of("input", texts)))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody(byte[].class).returnResult().getResponseBody();
		return JsonMapper.builder().build().readTree(body);
	}

	private static int tokens(List<String> texts) {
		try (HuggingFaceTokenizer tokenizer = EmbeddingModel.tokenizer(EmbeddingModel.Variant.FP32)) {
			return texts.stream().mapToInt((text) -> tokenizer.encode(text).getIds().length).sum();
		}
	}

	/** Whether some batch of the inference stage held more than one request: its sizes sum to more than its count. */
	private boolean batchedRequestsTogether() {
		String scrape = this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		return sum(scrape, "mosec_service_batch_size_sum") > sum(scrape, "mosec_service_batch_size_count");
	}

	private static double sum(String scrape, String series) {
		Matcher samples = Pattern.compile("(?m)^" + series + "\\{[^}]*stage=\"embed\"[^}]*} (\\S+)$").matcher(scrape);
		double sum = 0;
		while (samples.find()) {
			sum += Double.parseDouble(samples.group(1));
		}
		assertThat(sum).as(series).isPositive();
		return sum;
	}

}
