package io.mosec.spring.web;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.web.TestStages.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference routes end to end, over HTTP, with stages in threads of the server.
 */
@SpringBootTest(classes = TestStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=thread", "mosec.timeout=5s", "mosec.max-request-size=1KB",
				"mosec.routes[0].path=/inference", "mosec.routes[0].stages=parse,batch",
				"mosec.routes[1].path=/batch", "mosec.routes[1].stages=batch",
				"mosec.routes[2].path=/slow", "mosec.routes[2].stages=slow",
				"mosec.stages.slow.timeout=300ms",
				"mosec.routes[3].path=/reverse", "mosec.routes[3].stages=reverse" })
@AutoConfigureWebTestClient
class InferenceEndToEndTests {

	static final MediaType MSGPACK = MediaType.parseMediaType("application/msgpack");

	final ObjectMapper json = JsonMapper.builder().build();

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	@BeforeEach
	void closeGate() {
		TestStages.gate = new CountDownLatch(1);
	}

	@AfterEach
	void openGate() {
		TestStages.gate.countDown();
	}

	@Test
	void answersJsonThroughTwoStages() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"value\": 21}")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody().jsonPath("$.value").isEqualTo(42).jsonPath("$.batchSize").isNumber();
	}

	@Test
	void treatsARequestWithoutContentTypeAsJson() {
		this.client.post().uri("/inference").bodyValue("{\"value\": 1}".getBytes())
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.value").isEqualTo(2);
	}

	@Test
	void answersMsgpackWhenTheRequestIsMsgpack() throws Exception {
		MessagePackMapper msgpack = new MessagePackMapper();
		byte[] body = this.client.post().uri("/inference").contentType(MSGPACK)
			.bodyValue(msgpack.writeValueAsBytes(Map.of("value", 5)))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MSGPACK)
			.expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(msgpack.readValue(body, Response.class).value()).isEqualTo(10);
	}

	@Test
	void answersInTheFormatTheClientAccepts() throws Exception {
		byte[] body = this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).accept(MSGPACK)
			.bodyValue("{\"value\": 4}")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MSGPACK)
			.expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(new MessagePackMapper().readValue(body, Response.class).value()).isEqualTo(8);
	}

	@Test
	void passesRawBytesOfAnyContentTypeToAByteArrayStage() {
		this.client.post().uri("/reverse").contentType(MediaType.TEXT_PLAIN).bodyValue("abc")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
			.expectBody(String.class).isEqualTo("cba");
	}

	@Test
	void rejectsMalformedJsonWith400() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"value\": ")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").value((String detail) -> assertThat(detail).startsWith("decoding error: "))
			.jsonPath("$.instance").isEqualTo("/inference");
	}

	@Test
	void rejectsAValueOfTheWrongTypeWith400NamingTheField() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"value\": \"x\"}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("$.value")
				.doesNotContain("io.mosec"));
	}

	@Test
	void rejectsAnEmptyBodyWith400() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("bad request: the request body is empty");
	}

	@Test
	void rejectsABodyOverTheLimitWith413() {
		String big = "{\"value\": 1, \"mode\": \"" + "x".repeat(2000) + "\"}";
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue(big)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody().jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("1024 bytes"));
	}

	@Test
	void rejectsAnUnsupportedContentTypeWith415() {
		this.client.post().uri("/inference").contentType(MediaType.TEXT_PLAIN).bodyValue("21")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersAValidationExceptionWith422() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"value\": 1, \"mode\": \"invalid\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.detail").isEqualTo("request validation error: value must be positive");
	}

	@Test
	void answersAClientExceptionWith400() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"value\": 1, \"mode\": \"client\"}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("bad request: mode not supported");
	}

	@Test
	void answersAServerExceptionWith500AndItsMessage() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"value\": 1, \"mode\": \"server\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
			.expectBody().jsonPath("$.detail").isEqualTo("inference internal error: the model failed");
	}

	@Test
	void answersAnyOtherExceptionWith500WithoutItsInternals() {
		String body = this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"value\": 1, \"mode\": \"boom\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("inference internal error").doesNotContain("secret", "/etc", "Exception", "at io.");
	}

	@Test
	void answersABatchOfTheWrongSizeWith500() {
		this.client.post().uri("/batch").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"value\": 1, \"mode\": \"short\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
			.expectBody().jsonPath("$.detail").value((String detail) -> assertThat(detail)
				.isEqualTo("inference internal error: stage 'batch' returned 0 outputs for a batch of 1"));
	}

	@Test
	void answersAForwardThatOutlivesTheStageTimeoutWith408() {
		this.client.post().uri("/slow").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"value\": 1}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.REQUEST_TIMEOUT)
			.expectBody().jsonPath("$.detail").value((String detail) -> assertThat(detail)
				.startsWith("request timeout: stage 'slow' exceeded its timeout"));
	}

	@Test
	void answersOtherMethodsWith405() {
		this.client.get().uri("/inference")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader().valueEquals("Allow", "POST")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersUnknownPathsWith404() {
		this.client.post().uri("/nowhere").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void batchesConcurrentRequestsAndAnswersEachCorrectly() throws Exception {
		List<HttpResponse<String>> responses = sendConcurrently("/batch", 20, (i) -> "{\"value\": " + i + "}");
		int largestBatch = 0;
		for (int i = 0; i < responses.size(); i++) {
			assertThat(responses.get(i).statusCode()).isEqualTo(200);
			Response response = this.json.readValue(responses.get(i).body(), Response.class);
			assertThat(response.value()).isEqualTo(2 * i);
			largestBatch = Math.max(largestBatch, response.batchSize());
		}
		assertThat(largestBatch).isGreaterThan(1).isLessThanOrEqualTo(8);
	}

	@Test
	void failsAMalformedRequestAloneAmongItsBatchMates() throws Exception {
		List<HttpResponse<String>> responses = sendConcurrently("/batch", 20,
				(i) -> (i == 7) ? "{\"value\": oops}" : "{\"value\": " + i + "}");
		for (int i = 0; i < responses.size(); i++) {
			if (i == 7) {
				assertThat(responses.get(i).statusCode()).isEqualTo(400);
				assertThat(responses.get(i).body()).contains("decoding error");
			}
			else {
				assertThat(responses.get(i).statusCode()).isEqualTo(200);
				assertThat(this.json.readValue(responses.get(i).body(), Response.class).value()).isEqualTo(2 * i);
			}
		}
	}

	private List<HttpResponse<String>> sendConcurrently(String path, int count,
			java.util.function.IntFunction<String> body) throws Exception {
		return new LocalHttp(this.port).postConcurrently(path, count, body);
	}

}
