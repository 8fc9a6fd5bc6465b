package io.mosec.spring.reliability;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.test.Readiness;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.ProcessStages;
import io.mosec.spring.worker.WorkerPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code mosec} management endpoint changes a stage while a client keeps sending requests:
 * 2 workers, then 4, then 1, then a rolling restart; every request is answered 200.
 */
@SpringBootTest(classes = ProcessStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=5s", "mosec.stages.echo.num=2",
				"mosec.routes[0].path=/echo", "mosec.routes[0].stages=echo",
				"management.endpoints.web.exposure.include=health,mosec",
				"management.endpoint.health.show-details=always" })
class RuntimeScalingTests {

	@Autowired
	Pipeline pipeline;

	@LocalServerPort
	int port;

	@BeforeEach
	void everyWorkerIsReady() {
		Readiness.awaitEveryWorker(this.pipeline);
	}

	@Test
	void scalesAStageUpAndDownAndRollsItsWorkersWithoutFailingARequest() throws Exception {
		WorkerPool pool = this.pipeline.pool("echo");
		Load load = Load.start(URI.create("http://127.0.0.1:" + this.port + "/echo"), 4, 0,
				() -> "{\"value\": 1, \"sleep\": 20}", () -> Duration.ofSeconds(15));
		Collection<Long> beforeRoll;
		try {
			JsonNode four = change("{\"num\": 4}");
			assertThat(four.path("desired").asInt()).isEqualTo(4);
			assertThat(four.path("ready").asInt()).as("new workers are ready when the change answers").isEqualTo(4);
			assertThat(pool.status().readyPids()).containsOnlyKeys(1, 2, 3, 4);
			JsonNode health = JsonMapper.builder().build().readTree(get("/actuator/health").body())
				.path("components").path("mosec").path("details").path("stages").path("echo");
			assertThat(health.path("desired").asInt()).as("health follows the new size").isEqualTo(4);
			assertThat(health.path("ready").asInt()).isEqualTo(4);

			JsonNode one = change("{\"num\": 1}");
			assertThat(one.path("desired").asInt()).isEqualTo(1);
			awaitWorkers(pool, 1);
			assertThat(pool.status().readyPids()).containsOnlyKeys(1);

			change("{\"num\": 2}");
			beforeRoll = List.copyOf(pool.status().readyPids().values());
			JsonNode rolled = change("{\"restart\": true}");
			assertThat(rolled.path("desired").asInt()).isEqualTo(2);
			awaitWorkers(pool, 2);
		}
		finally {
			load.stop();
		}
		PoolStatus after = pool.status();
		assertThat(after.readyPids()).containsOnlyKeys(1, 2);
		assertThat(after.readyPids().values()).as("every worker replaced").doesNotContainAnyElementsOf(beforeRoll);
		assertThat(load.total()).isGreaterThan(20);
		assertThat(load.outcomes().keySet()).as("answers: " + load.failures()).containsOnly(200);
	}

	@Test
	void describesEveryStage() throws Exception {
		JsonNode echo = JsonMapper.builder().build().readTree(get("/actuator/mosec").body()).path("stages").path("echo");
		assertThat(echo.path("desired").asInt()).isEqualTo(2);
		assertThat(echo.path("ready").asInt()).isEqualTo(2);
		assertThat(echo.path("workers")).hasSize(2).allSatisfy((worker) -> {
			assertThat(worker.path("pid").asLong()).isPositive();
			assertThat(worker.path("ready").asBoolean()).isTrue();
		});
		assertThat(echo.path("routes")).extracting(JsonNode::asText).containsExactly("/echo");
		assertThat(echo.path("timeout").asText()).isEqualTo("PT5S");
	}

	@Test
	void refusesAChangeItCannotMakeWithA400() throws Exception {
		for (String body : Set.of("{\"num\": 0}", "{\"num\": 65}", "{}", "{\"num\": 2, \"restart\": true}")) {
			HttpResponse<String> response = new LocalHttp(this.port).post("/actuator/mosec/echo", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
		}
		assertThat(new LocalHttp(this.port).post("/actuator/mosec/nope", "{\"num\": 2}").statusCode()).isEqualTo(400);
		assertThat(this.pipeline.pool("echo").status().desired()).isEqualTo(2);
	}

	private JsonNode change(String body) throws Exception {
		HttpResponse<String> response = new LocalHttp(this.port).post("/actuator/mosec/echo", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return new LocalHttp(this.port).get(path);
	}

	/** Retired workers leave after their batch: wait for the pool to be down to its size. */
	private static void awaitWorkers(WorkerPool pool, int workers) {
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> pool.status().live() == workers && pool.status().ready() == workers);
	}

}
