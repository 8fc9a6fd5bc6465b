package io.mosec.spring.stream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.stream.ServingStages.TagResult;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.test.Readiness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streaming answers, two routes sharing a stage, and validated inputs, with every stage in
 * worker processes behind the real HTTP front end.
 */
@ServingTest
class ServingEndToEndTests {

	final ObjectMapper json = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Autowired
	Pipeline pipeline;

	@BeforeEach
	void everyWorkerIsReady() {
		// The port opens once each stage has one ready worker; these tests are about all of them.
		Readiness.awaitEveryWorker(this.pipeline);
	}

	@Autowired
	InFlightTable inFlight;

	@LocalServerPort
	int port;

	@TempDir
	Path temp;

	@Test
	void twoRoutesShareOneStageWithOneQueueAndOnePoolAndAnswerInTheirOwnTypes() throws Exception {
		LocalHttp client = new LocalHttp(this.port);
		List<HttpResponse<String>> left = new ArrayList<>();
		List<HttpResponse<String>> right = new ArrayList<>();
		var calls = new ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
		for (int i = 0; i < 3; i++) {
			calls.add(client.postAsync("/left", "{\"route\": \"left\"}"));
			calls.add(client.postAsync("/right", "{\"route\": \"right\"}"));
		}
		for (int i = 0; i < calls.size(); i++) {
			(i % 2 == 0 ? left : right).add(calls.get(i).get());
		}
		Set<Long> pool = new HashSet<>(this.pipeline.pool("tag").status().readyPids().values());
		assertThat(pool).hasSize(2);
		Set<Long> seen = new HashSet<>();
		boolean mixed = false;
		for (HttpResponse<String> response : left) {
			assertThat(response.statusCode()).isEqualTo(200);
			TagResult result = this.json.readValue(response.body(), TagResult.class);
			seen.add(result.pid());
			mixed |= result.batch().contains("left") && result.batch().contains("right");
		}
		for (HttpResponse<String> response : right) {
			assertThat(response.statusCode()).isEqualTo(200);
			// The right route ends with another stage, whose output is a string.
			String text = this.json.readValue(response.body(), String.class);
			assertThat(text).startsWith("right from pid ");
			seen.add(Long.parseLong(text.replaceAll("right from pid (\\d+) .*", "$1")));
		}
		assertThat(pool).containsAll(seen);
		assertThat(mixed).as("a batch held requests of both routes").isTrue();
	}

	@Test
	void streamsEventsAsTheWorkerSendsThem() throws Exception {
		Path seenFirst = this.temp.resolve("seen-first");
		HttpResponse<Stream<String>> response = openStream("{\"count\": 3, \"awaitFile\": \"" + seenFirst + "\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		List<JsonNode> ticks = new ArrayList<>();
		try (Stream<String> lines = response.body()) {
			Iterator<String> events = lines.iterator();
			while (events.hasNext()) {
				String line = events.next();
				if (line.startsWith("data:")) {
					ticks.add(this.json.readTree(line.substring(5)));
					if (ticks.size() == 1) {
						// The worker waits for this file after its first event: it is still running now.
						Files.createFile(seenFirst);
					}
				}
				assertThat(line).doesNotStartWith("event:");
			}
		}
		assertThat(ticks).extracting((tick) -> tick.get("n").asInt()).containsExactly(1, 2, 3);
		assertThat(ticks.get(0).get("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void aFailureInTheStreamSendsOneErrorEventThenEnds() throws Exception {
		List<String> lines = readStream("{\"count\": 5, \"failAt\": 3}");
		assertThat(lines).filteredOn((line) -> line.startsWith("data:")).hasSize(3);
		assertThat(lines).filteredOn((line) -> line.startsWith("event:")).containsExactly("event:error");
		JsonNode error = this.json.readTree(lines.get(lines.indexOf("event:error") + 1).substring(5));
		assertThat(error.get("status").asInt()).isEqualTo(500);
		assertThat(error.get("detail").asText()).isEqualTo("inference internal error");
	}

	@Test
	void anInvalidStreamRequestGetsOneErrorEventListingTheFields() throws Exception {
		List<String> lines = readStream("{\"count\": 0}");
		assertThat(lines).filteredOn((line) -> !line.isEmpty()).hasSize(2);
		assertThat(lines.get(0)).isEqualTo("event:error");
		JsonNode error = this.json.readTree(lines.get(1).substring(5));
		assertThat(error.get("status").asInt()).isEqualTo(422);
		assertThat(error.get("errors").get(0).get("field").asText()).isEqualTo("count");
	}

	@Test
	void checksBeforeTheStreamKeepTheirStatusCodes() throws Exception {
		HttpResponse<String> empty = this.http.send(request("/count", "").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(empty.statusCode()).isEqualTo(400);
		HttpResponse<String> text = this.http.send(request("/count", "{}").header("Content-Type", "text/plain").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(text.statusCode()).isEqualTo(415);
		assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void aClientThatGoesAwayStopsItsStreamInTheWorker() throws Exception {
		Path stopped = this.temp.resolve("stopped");
		HttpResponse<Stream<String>> response = openStream(
				"{\"count\": 10000, \"pauseMillis\": 20, \"stoppedFile\": \"" + stopped + "\"}");
		try (Stream<String> lines = response.body()) {
			assertThat(lines.filter((line) -> line.startsWith("data:")).findFirst()).isPresent();
		}
		// Closing the body closes the connection: the worker's next send throws, and it notes where.
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(stopped) && Files.size(stopped) > 0);
		assertThat(Integer.parseInt(Files.readString(stopped))).isLessThan(10000);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.inFlight.size() == 0);
		// The one worker of the stage is free for the next stream.
		assertThat(readStream("{\"count\": 2}")).filteredOn((line) -> line.startsWith("data:")).hasSize(2);
	}

	@Test
	void answersAnInvalidInputWith422ListingItsFieldsAndItsBatchMateWith200() throws Exception {
		LocalHttp client = new LocalHttp(this.port);
		var invalid = client.postAsync("/greet", "{\"name\": \" \", \"age\": 200}");
		var valid = client.postAsync("/greet", "{\"name\": \"Ada\", \"age\": 36}");
		assertThat(valid.get().statusCode()).isEqualTo(200);
		assertThat(valid.get().body()).isEqualTo("{\"text\":\"Hello Ada (36)\"}");
		HttpResponse<String> problem = invalid.get();
		assertThat(problem.statusCode()).isEqualTo(422);
		assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		Map<?, ?> body = this.json.readValue(problem.body(), Map.class);
		assertThat(body.get("detail")).asString().startsWith("request validation error: age must be less than");
		assertThat(body.get("errors")).isEqualTo(List.of(
				Map.of("field", "age", "message", "must be less than or equal to 150"),
				Map.of("field", "name", "message", "must not be blank")));
	}

	private HttpRequest.Builder request(String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<Stream<String>> openStream(String body) throws IOException, InterruptedException {
		return this.http.send(request("/count", body).header("Content-Type", "application/json").build(),
				HttpResponse.BodyHandlers.ofLines());
	}

	private List<String> readStream(String body) throws IOException, InterruptedException {
		HttpResponse<Stream<String>> response = openStream(body);
		assertThat(response.statusCode()).isEqualTo(200);
		try (Stream<String> lines = response.body()) {
			return lines.toList();
		}
	}

}
