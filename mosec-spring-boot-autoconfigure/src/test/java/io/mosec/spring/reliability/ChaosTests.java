package io.mosec.spring.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mosec's own chaos test ({@code tests/bad_req.py}), against worker processes: many clients,
 * a third of the requests invalid, half of the batches failing, and clients that give up at
 * random. Afterwards nothing is left behind and every worker still serves.
 */
@SpringBootTest(classes = ChaosStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=3s" })
class ChaosTests {

	@Autowired
	Pipeline pipeline;

	@Autowired
	InFlightTable inFlight;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	@Test
	void survivesInvalidRequestsFailingBatchesAndDisconnectsWithNothingLeftBehind() throws Exception {
		int requests = Reliability.chaosRequests();
		long started = System.nanoTime();
		Load load = Load.start(URI.create("http://127.0.0.1:" + this.port + "/inference"), 8, requests, () -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			// 70 % valid (a time of 1-10 ms), 30 % without the field.
			return (random.nextInt(10) < 7) ? "{\"time\": " + random.nextInt(1, 11) + "}" : "{\"name\": \"no time\"}";
				}, Load.randomBelow(Duration.ofMillis(333)), true).await(Duration.ofMinutes(10));
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
		assertThat(load.total()).isEqualTo(requests);
		assertThat(load.outcomes().keySet()).as("only 200, 422, 500 or a client that gave up; no answer: " + load.failures())
			.isSubsetOf(200, 422, 500, Load.GAVE_UP);

		assertThat(new LocalHttp(this.port).post("/inference", "{\"time\": 0}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.inFlight.size()).isZero();
			assertThat(this.meters.get("mosec_service_remaining_task").gauge().value()).isZero();
		});
		for (WorkerPool pool : this.pipeline.pools()) {
			PoolStatus status = pool.status();
			assertThat(status.live()).as("live workers of " + pool.stage().name()).isEqualTo(status.desired());
			assertThat(status.restarts()).as("restarts of " + pool.stage().name()).isZero();
		}
		Reliability.figure("chaos", requests + " requests, 8 clients, a connection each, give up < 333 ms, " + seconds + " s",
				Load.describe(load.outcomes()) + "; then remaining_task 0, in-flight 0, all workers alive, 0 restarts");
	}

}
