package io.mosec.spring.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.worker.ProcessStages;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.test.Readiness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of a random worker, again and again, under load: no request waits past its
 * deadline, and every worker comes back.
 */
@SpringBootTest(classes = ProcessStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=3s", "mosec.stages.echo.num=2",
				"mosec.routes[0].path=/echo", "mosec.routes[0].stages=echo" })
class WorkerKillTests {

	static final Duration TIMEOUT = Duration.ofSeconds(3);

	@Autowired
	Pipeline pipeline;

	@BeforeEach
	void everyWorkerIsReady() {
		// The port opens once each stage has one ready worker; these tests are about all of them.
		Readiness.awaitEveryWorker(this.pipeline);
	}

	@LocalServerPort
	int port;

	@Test
	void answersEveryRequestWithinItsDeadlineWhileWorkersAreKilled() throws Exception {
		WorkerPool pool = this.pipeline.pool("echo");
		int kills = Reliability.workerKills();
		long started = System.nanoTime();
		// The client's own limit is well past the deadline: a request that outlived it would show.
		Load load = Load.start(URI.create("http://127.0.0.1:" + this.port + "/echo"), 8, 0,
				() -> "{\"value\": 1, \"sleep\": 5}", () -> TIMEOUT.multipliedBy(3));
		try {
			for (int kill = 1; kill <= kills; kill++) {
				List<Long> pids = List.copyOf(pool.status().readyPids().values());
				long victim = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
				ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
					PoolStatus now = pool.status();
					return now.ready() == 2 && !now.readyPids().containsValue(victim);
				});
				// Some load on the full pool before the next kill.
				Thread.sleep(300);
			}
		}
		finally {
			load.stop();
		}
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
		assertThat(load.outcomes().keySet()).as("answers only: 200, or 500 for a batch whose worker died")
			.isSubsetOf(200, 500);
		assertThat(load.count(500)).as("requests failed per kill").isLessThanOrEqualTo(kills);
		assertThat(load.slowestMillis()).isLessThanOrEqualTo(TIMEOUT.toMillis() + 1000);
		assertThat(pool.status().restarts()).isEqualTo(kills);
		Reliability.figure("kill -9 of a worker", kills + " kills in a row, 8 clients, " + seconds + " s",
				Load.describe(load.outcomes()) + "; slowest answer " + load.slowestMillis() + " ms; every worker back");
	}

}
