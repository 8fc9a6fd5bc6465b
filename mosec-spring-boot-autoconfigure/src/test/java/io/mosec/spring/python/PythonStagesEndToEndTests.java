package io.mosec.spring.python;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.test.Readiness;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Python classes as stages next to bean stages, in worker processes the server supervises:
 * a Python-only route, Java then Python then Java (msgpack at both borders), and two Python
 * stages in a row (pickle between them).
 */
@SpringBootTest(classes = PythonStagesEndToEndTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { Python.INTERPRETER_PROPERTY, "mosec.worker.mode=process", "mosec.stages.py-echo.python=src/test/resources/python/stages.py:Echo",
				"mosec.stages.py-doubler.python=src/test/resources/python/stages.py:Doubler",
				"mosec.stages.py-doubler.max-batch-size=4", "mosec.stages.py-doubler.max-wait-time=20ms",
				"mosec.stages.py-words.python=src/test/resources/python/stages.py:Words",
				"mosec.stages.py-count.python=src/test/resources/python/stages.py:Count",
				"mosec.routes[0].path=/py", "mosec.routes[0].stages=py-echo",
				"mosec.routes[1].path=/mixed", "mosec.routes[1].stages=increment,py-doubler,label",
				"mosec.routes[2].path=/words", "mosec.routes[2].stages=py-words,py-count",
				"mosec.stages.py-tokens.python=src/test/resources/python/stages.py:Tokens",
				"mosec.stages.py-slow.python=src/test/resources/python/stages.py:Slow",
				"mosec.stages.py-slow.timeout=500ms", "mosec.timeout=5s", "mosec.stages.py-tokens.timeout=120s",
				"mosec.routes[3].path=/tokens", "mosec.routes[3].stages=py-tokens",
				"mosec.routes[4].path=/slow", "mosec.routes[4].stages=py-slow",
				"mosec.routes[5].path=/split-count", "mosec.routes[5].stages=split,py-count" })
@DirtiesContext
@RequiresPython
class PythonStagesEndToEndTests {

	final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	Pipeline pipeline;

	@Test
	void servesAPythonStageWithTheRawBodyInAndItsJsonOut() throws Exception {
		var response = http().post("/py", "{\"value\": 7}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.path("echo").path("value").asInt()).isEqualTo(7);
		assertThat(answer.path("worker").asInt()).isEqualTo(1);
		assertThat(this.pipeline.pool("py-echo").status().readyPids()).containsValue(answer.path("pid").asLong());
	}

	@Test
	void answersAPythonStagesValidationErrorWith422InMosecsWords() throws Exception {
		var response = http().post("/py", "{\"value\": -1}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(this.json.readTree(response.body()).path("detail").asText())
			.isEqualTo("request validation error: value must not be negative");
	}

	@Test
	void passesMsgpackBetweenJavaAndPythonStagesBothWaysAndBatchesThePythonOne() throws Exception {
		List<String> answers = http().postConcurrently("/mixed", 12, (i) -> "{\"value\": " + i + "}")
			.stream()
			.map((response) -> {
				assertThat(response.statusCode()).isEqualTo(200);
				return response.body();
			})
			.toList();
		for (int i = 0; i < answers.size(); i++) {
			assertThat(this.json.readTree(answers.get(i)).path("label").asText()).isEqualTo("value " + (2 * (i + 1)));
		}
		assertThat(answers).as("the Python stage's batches").anyMatch((answer) -> !answer.contains("\"batch\":1"));
	}

	@Test
	void passesPickleBetweenTwoPythonStages() throws Exception {
		var response = http().post("/words", "{\"text\": \"one two three\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body())).isEqualTo(this.json.readTree("{\"words\": 3, \"type\": \"tuple\"}"));
	}

	@Test
	void sharesAPythonStageBetweenARouteWithAPythonNeighbourAndOneWithAJavaNeighbour() throws Exception {
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			answers.add(http().post("/words", "{\"text\": \"one two three\"}").body());
			answers.add(http().post("/split-count", "{\"text\": \"one two three\"}").body());
		}
		for (int i = 0; i < answers.size(); i += 2) {
			assertThat(this.json.readTree(answers.get(i))).as("pickle from Python")
				.isEqualTo(this.json.readTree("{\"words\": 3, \"type\": \"tuple\"}"));
			assertThat(this.json.readTree(answers.get(i + 1))).as("msgpack from Java")
				.isEqualTo(this.json.readTree("{\"words\": 3, \"type\": \"list\"}"));
		}
		assertThat(this.pipeline.pools()).filteredOn((pool) -> pool.stage().name().equals("py-count")).hasSize(1);
	}

	@Test
	void restartsAPythonWorkerKilledWithSigkill() throws Exception {
		Readiness.awaitEveryWorker(this.pipeline);
		PoolStatus before = this.pipeline.pool("py-echo").status();
		ProcessHandle.of(before.readyPids().get(1)).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			PoolStatus now = this.pipeline.pool("py-echo").status();
			return now.restarts() > before.restarts() && now.ready() == 1;
		});
		assertThat(http().post("/py", "{\"value\": 1}").statusCode()).isEqualTo(200);
	}

	@Test
	void streamsAPythonSseWorkersEventsAsItSendsThem() throws Exception {
		HttpResponse<Stream<String>> response = openStream("{\"n\": 3}");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (Stream<String> lines = response.body()) {
			assertThat(lines.filter((line) -> !line.isEmpty())).containsExactly("data:token 0", "data:token 1",
					"data:token 2");
		}
	}

	@Test
	void aClientThatLeavesStopsItsPythonStreamAndFreesTheWorker() throws Exception {
		Path stopped = Files.createTempDirectory("mosec-test").resolve("stopped");
		HttpResponse<Stream<String>> response = openStream(
				"{\"n\": 100000, \"pause\": 0.002, \"stopped\": \"" + stopped + "\"}");
		try (Stream<String> lines = response.body()) {
			assertThat(lines.filter((line) -> line.startsWith("data:")).findFirst()).isPresent();
		}
		// Without the cancel the stream would run 200 s (and its stage timeout, 120 s, kill it without a note).
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(stopped) && Files.size(stopped) > 0);
		assertThat(Integer.parseInt(Files.readString(stopped))).isLessThan(100000);
		try (Stream<String> lines = openStream("{\"n\": 2}").body()) {
			assertThat(lines.filter((line) -> line.startsWith("data:"))).hasSize(2);
		}
	}

	@Test
	void answers408AndReplacesThePythonWorkerWhoseForwardOutlivesItsTimeout() throws Exception {
		Readiness.awaitEveryWorker(this.pipeline);
		PoolStatus before = this.pipeline.pool("py-slow").status();
		var response = http().post("/slow", "{\"sleep\": 30}");
		assertThat(response.statusCode()).isEqualTo(408);
		assertThat(response.body()).contains("stage 'py-slow' exceeded its timeout of PT0.5S");
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			PoolStatus now = this.pipeline.pool("py-slow").status();
			return now.restarts() > before.restarts() && now.ready() == 1;
		});
		assertThat(this.pipeline.pool("py-slow").status().readyPids()).doesNotContainValue(before.readyPids().get(1));
		assertThat(http().post("/slow", "{\"sleep\": 0}").statusCode()).isEqualTo(200);
	}

	@Test
	void answers408WhenAPythonStageGivesUpOnItsOwnDeadline() throws Exception {
		var response = http().post("/slow", "{\"give_up\": true}");
		assertThat(response.statusCode()).isEqualTo(408);
		assertThat(this.json.readTree(response.body()).path("detail").asText())
			.isEqualTo("request timeout: gave up after my own deadline");
	}

	private HttpResponse<Stream<String>> openStream(String body) throws Exception {
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/tokens"))
				.timeout(Duration.ofSeconds(20))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private LocalHttp http() {
		return new LocalHttp(this.port);
	}

	public record Value(int value) {

	}

	public record Labelled(int value, String label, int batch) {

	}

	@MosecStage(name = "increment", order = 1)
	public static class Increment implements Worker<Value, Value> {

		@Override
		public Value forward(Value input) {
			return new Value(input.value() + 1);
		}

	}

	@MosecStage(name = "label", order = 2)
	public static class Label implements Worker<Map<String, Object>, Labelled> {

		@Override
		public Labelled forward(Map<String, Object> input) {
			int value = ((Number) input.get("value")).intValue();
			return new Labelled(value, "value " + value, ((Number) input.get("batch")).intValue());
		}

	}

	@MosecStage(name = "split", order = 3)
	public static class Split implements Worker<Map<String, Object>, List<String>> {

		@Override
		public List<String> forward(Map<String, Object> input) {
			return List.of(((String) input.get("text")).split(" "));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Increment.class, Label.class, Split.class })
	public static class Application {

	}

}
