package io.mosec.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI embeddings contract as its clients use it (Base64 vectors, token arrays,
 * {@code dimensions} and {@code user}, the model list, errors in OpenAI's shape), and Hugging Face
 * TEI's {@code /embed} on the same stages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class EmbeddingContractsTests {

	/** "hello world" in this model's WordPiece ids, with [CLS] and [SEP]. */
	static final String HELLO_WORLD_IDS = "[101, 7592, 2088, 102]";

	@Autowired
	WebTestClient client;

	@Autowired
	Pipeline pipeline;

	@Test
	void answersBase64AsTheLittleEndianFloat32BytesOfTheSameVector() throws Exception {
		JsonNode floats = embed("{\"input\": \"hello world\"}").at("/data/0/embedding");
		JsonNode encoded = embed("{\"input\": \"hello world\", \"encoding_format\": \"base64\"}").at("/data/0/embedding");
		assertThat(encoded.isTextual()).isTrue();
		ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asText())).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(bytes.remaining()).isEqualTo(EmbeddingModel.DIMENSIONS * Float.BYTES);
		for (int i = 0; i < EmbeddingModel.DIMENSIONS; i++) {
			assertThat(bytes.getFloat()).isEqualTo((float) floats.get(i).asDouble());
		}
	}

	@Test
	void embedsTokenArraysAsThisModelsTokenIdsWithOrWithoutTheSpecialTokens() throws Exception {
		JsonNode text = embed("{\"input\": \"hello world\"}").at("/data/0/embedding");
		assertThat(embed("{\"input\": " + HELLO_WORLD_IDS + "}").at("/data/0/embedding")).isEqualTo(text);
		JsonNode two = embed("{\"input\": [" + HELLO_WORLD_IDS + ", [7592, 2088]], \"user\": \"someone\"}");
		assertThat(two.at("/data")).hasSize(2);
		assertThat(two.at("/data/0/embedding")).isEqualTo(text);
		assertThat(two.at("/data/1/embedding")).as("[CLS] and [SEP] added").isEqualTo(text);
		assertThat(two.at("/usage/prompt_tokens").asInt()).isEqualTo(8);
	}

	@Test
	void refusesATokenIdOutsideTheVocabularyWith400() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": [[7592], [7592, 30522]]}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.detail").isEqualTo("bad request: 'input[1]' holds token id 30522 at 1, outside "
					+ "all-minilm-l6-v2's vocabulary (0 to 30521)")
			.jsonPath("$.error.message").isEqualTo("bad request: 'input[1]' holds token id 30522 at 1, outside "
					+ "all-minilm-l6-v2's vocabulary (0 to 30521)");
	}

	@Test
	void refusesDimensionsItCannotGiveWith400InOpenAisShape() throws Exception {
		JsonNode error = JsonMapper.builder().build().readTree(this.client.post().uri("/v1/embeddings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"x\", \"dimensions\": 128}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(error.at("/detail").asText()).contains("'dimensions' is 128", "cannot shorten its vectors");
		assertThat(error.at("/error/message").asText()).isEqualTo(error.at("/detail").asText());
		assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
		assertThat(embed("{\"input\": \"x\", \"dimensions\": 384}").at("/data/0/embedding")).hasSize(384);
	}

	@Test
	void refusesAnUnknownEncodingFormatAndAnotherModelInOpenAisShape() {
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"x\", \"encoding_format\": \"int8\"}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.error.message").isEqualTo("bad request: 'encoding_format' is 'int8'; use 'float' or 'base64'");
		this.client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"input\": \"x\", \"model\": \"text-embedding-3-small\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.error.message").isEqualTo("request validation error: model 'text-embedding-3-small' is not "
					+ "served here; use 'all-minilm-l6-v2'")
			.jsonPath("$.error.type").isEqualTo("invalid_request_error");
	}

	@Test
	void listsItsModelAndAnswers404ForAnother() {
		this.client.get().uri("/v1/models").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.object").isEqualTo("list")
			.jsonPath("$.data[0].id").isEqualTo(EmbeddingModel.NAME)
			.jsonPath("$.data[0].object").isEqualTo("model")
			.jsonPath("$.data[0].created").isNumber()
			.jsonPath("$.data[0].owned_by").isEqualTo("mosec-sample");
		this.client.get().uri("/v1/models/" + EmbeddingModel.NAME).exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.id").isEqualTo(EmbeddingModel.NAME);
		this.client.get().uri("/v1/models/gpt-4o").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.error.code").isEqualTo("model_not_found")
			.jsonPath("$.error.message").value((String message) -> assertThat(message).contains("'gpt-4o' does not exist"));
	}

	@Test
	void servesTeisEmbedRouteOnTheSameStagesWithTheSameVectors() throws Exception {
		JsonNode openAi = embed("{\"input\": [\"hello world\", \"a cat\"]}");
		JsonNode tei = post("/embed", "{\"inputs\": [\"hello world\", \"a cat\"], \"normalize\": true, \"truncate\": true}");
		assertThat(tei).hasSize(2);
		assertThat(tei.get(0)).isEqualTo(openAi.at("/data/0/embedding"));
		assertThat(tei.get(1)).isEqualTo(openAi.at("/data/1/embedding"));
		assertThat(post("/embed", "{\"inputs\": \"hello world\"}").get(0)).isEqualTo(openAi.at("/data/0/embedding"));
		// One stage, one pool, one queue for both routes: their requests share batches.
		assertThat(this.pipeline.pools()).filteredOn((pool) -> pool.stage().name().equals("embed")).hasSize(1);
	}

	@Test
	void refusesWhatTeiWouldRefuseInTeisErrorShape() {
		String longText = "word ".repeat(400);
		this.client.post().uri("/embed").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"inputs\": \"" + longText + "\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.error").isEqualTo("request validation error: 'inputs[0]' is longer than 256 tokens; set "
					+ "'truncate' to true to embed its first 256")
			.jsonPath("$.error_type").isEqualTo("Validation");
		this.client.post().uri("/embed").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"inputs\": \"" + longText + "\", \"truncate\": true}")
			.exchange()
			.expectStatus().isOk();
		this.client.post().uri("/embed").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"inputs\": \"x\", \"normalize\": false}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.error").value((String error) -> assertThat(error).contains("L2-normalised vectors only"));
	}

	private JsonNode embed(String body) throws Exception {
		return post("/v1/embeddings", body);
	}

	private JsonNode post(String path, String body) throws Exception {
		return JsonMapper.builder().build().readTree(this.client.post().uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isOk()
			.expectBody(byte[].class).returnResult().getResponseBody());
	}

}
