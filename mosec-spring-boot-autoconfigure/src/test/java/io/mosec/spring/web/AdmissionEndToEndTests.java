package io.mosec.spring.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.test.LocalHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capacity and the request deadline, end to end, with a stage that holds its batch until the
 * test lets it go.
 */
@SpringBootTest(classes = TestStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=thread", "mosec.capacity=2", "mosec.timeout=1s",
				"mosec.stages.slow.timeout=30s", "mosec.routes[0].path=/slow", "mosec.routes[0].stages=slow" })
class AdmissionEndToEndTests {

	@Autowired
	InFlightTable inFlight;

	@LocalServerPort
	int port;

	@BeforeEach
	void closeGate() {
		TestStages.gate = new CountDownLatch(1);
		TestStages.slowForwarded.clear();
	}

	@AfterEach
	void openGate() {
		TestStages.gate.countDown();
	}

	@Test
	void turnsAwayRequestsBeyondTheCapacityWith429() throws Exception {
		CompletableFuture<HttpResponse<String>> first = send(1);
		CompletableFuture<HttpResponse<String>> second = send(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.inFlight.size() == 2);
		HttpResponse<String> third = send(3).get();
		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(third.body()).contains("too many requests");
		TestStages.gate.countDown();
		assertThat(first.get().statusCode()).isIn(200, 408);
		assertThat(second.get().statusCode()).isIn(200, 408);
	}

	@Test
	void answers408AtTheDeadlineAndNeverForwardsATaskThatTimedOutInTheQueue() throws Exception {
		CompletableFuture<HttpResponse<String>> running = send(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> TestStages.slowForwarded.contains(1));
		CompletableFuture<HttpResponse<String>> queued = send(2);
		HttpResponse<String> runningResponse = running.get();
		HttpResponse<String> queuedResponse = queued.get();
		assertThat(runningResponse.statusCode()).isEqualTo(408);
		assertThat(runningResponse.body()).contains("\"detail\":\"request timeout\"");
		assertThat(queuedResponse.statusCode()).isEqualTo(408);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.inFlight.size() == 0);

		TestStages.gate.countDown();
		assertThat(send(3).get().statusCode()).isEqualTo(200);
		assertThat(TestStages.slowForwarded).containsExactly(1, 3);
	}

	private CompletableFuture<HttpResponse<String>> send(int value) {
		return new LocalHttp(this.port).postAsync("/slow", "{\"value\": " + value + "}");
	}

}
