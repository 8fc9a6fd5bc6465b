package io.mosec.spring.test;

import java.time.Duration;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;

import static org.awaitility.Awaitility.await;

/**
 * Waits for workers to be ready, the way health does: the port opens once every stage has one
 * ready worker, so a test about a stage's other workers (or one that kills a worker) waits for
 * all of them first, never for a PID or a fixed time.
 */
public final class Readiness {

	/** Generous: a worker started from a test classpath on a loaded machine takes seconds. */
	private static final Duration LIMIT = Duration.ofSeconds(90);

	private Readiness() {
	}

	/**
	 * Waits until every worker of every stage is ready.
	 * @param pipeline the application's pipeline
	 */
	public static void awaitEveryWorker(Pipeline pipeline) {
		for (WorkerPool pool : pipeline.pools()) {
			await().atMost(LIMIT).pollInterval(Duration.ofMillis(20)).until(() -> allReady(pool.status()));
		}
	}

	private static boolean allReady(PoolStatus status) {
		return status.ready() == status.desired();
	}

}
