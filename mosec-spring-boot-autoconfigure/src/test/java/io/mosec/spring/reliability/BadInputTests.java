package io.mosec.spring.reliability;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.stream.ServingTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over HTTP, each sent at the same time as a valid request: every bad one gets a
 * clear 4xx problem detail without internals, and the valid one still gets its 200.
 */
@ServingTest
class BadInputTests {

	static final int LIMIT = 10 * 1024 * 1024;

	static final String VALID = "{\"name\": \"Ada\", \"age\": 36}";

	final ObjectMapper json = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@LocalServerPort
	int port;

	static Stream<Arguments> badInputs() {
		return Stream.of(
				Arguments.of("malformed JSON", "application/json", utf8("{\"name\": \"Ada\", \"age\": }"), 400),
				Arguments.of("malformed msgpack", "application/msgpack", new byte[] { (byte) 0xc1, 1, 2 }, 400),
				Arguments.of("truncated JSON", "application/json", utf8("{\"name\": \"Ada\", \"ag"), 400),
				Arguments.of("truncated msgpack (a map of 2 with 1 entry)", "application/msgpack",
						new byte[] { (byte) 0x82, (byte) 0xa4, 'n', 'a', 'm', 'e', (byte) 0xa3, 'A', 'd', 'a' }, 400),
				Arguments.of("empty body", "application/json", new byte[0], 400),
				Arguments.of("null", "application/json", utf8("null"), 400),
				Arguments.of("wrong types", "application/json", utf8("{\"name\": 5, \"age\": \"old\"}"), 400),
				Arguments.of("text/plain", "text/plain", utf8(VALID), 415),
				Arguments.of("XML", "application/xml", utf8("<person/>"), 415),
				Arguments.of("a serialised Java object", "application/x-java-serialized-object",
						new byte[] { (byte) 0xac, (byte) 0xed, 0, 5 }, 415),
				Arguments.of("a form", "application/x-www-form-urlencoded", utf8("name=Ada"), 415),
				Arguments.of("msgpack sent without a content type (taken as JSON)", null,
						new byte[] { (byte) 0x81, (byte) 0xa4, 'n', 'a', 'm', 'e' }, 400),
				Arguments.of("one byte over the limit", "application/json", padded(LIMIT + 1), 413),
				Arguments.of("deeply nested JSON", "application/json",
						utf8("{\"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}"), 400),
				Arguments.of("deeply nested msgpack", "application/msgpack", nestedMsgpack(5000), 400),
				Arguments.of("a number of 5,000 digits", "application/json",
						utf8("{\"name\": \"Ada\", \"age\": 1" + "0".repeat(5000) + "}"), 400),
				Arguments.of("an int out of range", "application/json",
						utf8("{\"name\": \"Ada\", \"age\": 99999999999999999999}"), 400),
				Arguments.of("a string of 1 MB where 100 characters are allowed", "application/json",
						utf8("{\"name\": \"" + "x".repeat(1 << 20) + "\", \"age\": 3}"), 422),
				Arguments.of("invalid UTF-8", "application/json",
						concat(utf8("{\"name\": \""), new byte[] { (byte) 0xff, (byte) 0xfe }, utf8("\", \"age\": 3}")), 400),
				Arguments.of("constraint violations", "application/json", utf8("{\"name\": \"\", \"age\": -1}"), 422));
	}

	@ParameterizedTest(name = "{0} -> {3}")
	@MethodSource("badInputs")
	void answersBadInputWithAProblemDetailAndDisturbsNoOtherRequest(String what, String contentType, byte[] body,
			int status) throws Exception {
		CompletableFuture<HttpResponse<String>> valid = send("application/json", utf8(VALID));
		HttpResponse<String> bad = send(contentType, body).get();
		assertThat(bad.statusCode()).as(what).isEqualTo(status);
		assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		Map<?, ?> problem = this.json.readValue(bad.body(), Map.class);
		assertThat(problem.get("status")).isEqualTo(status);
		assertThat((String) problem.get("detail")).isNotBlank();
		assertThat(bad.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.mosec")
			.doesNotContain("/work/").doesNotContain("com.fasterxml");
		assertThat(valid.get().statusCode()).isEqualTo(200);
		assertThat(valid.get().body()).isEqualTo("{\"text\":\"Hello Ada (36)\"}");
	}

	@ParameterizedTest(name = "chunked: {0}")
	@MethodSource("limits")
	void appliesTheLimitToABodyWithoutALength(String what, byte[] body, int status) throws Exception {
		// A publisher of unknown length makes the client stream the body in chunks.
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/greet"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body)))
			.build();
		assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).as(what).isEqualTo(status);
	}

	static Stream<Arguments> limits() {
		return Stream.of(Arguments.of("just under the limit", padded(LIMIT - 1), 200),
				Arguments.of("one byte over the limit", padded(LIMIT + 1), 413));
	}

	private CompletableFuture<HttpResponse<String>> send(String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/greet"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The valid request, padded with whitespace to the given size. */
	private static byte[] padded(int size) {
		byte[] body = new byte[size];
		Arrays.fill(body, (byte) ' ');
		byte[] valid = utf8(VALID);
		System.arraycopy(valid, 0, body, 0, valid.length);
		return body;
	}

	private static byte[] nestedMsgpack(int depth) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x81, (byte) 0xa4, 'n', 'a', 'm', 'e' });
		for (int i = 0; i < depth; i++) {
			out.write(0x91);
		}
		out.write(0x90);
		return out.toByteArray();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		List.of(parts).forEach(out::writeBytes);
		return out.toByteArray();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
