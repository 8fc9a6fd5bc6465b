package io.mosec.spring.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.mosec.spring.worker.launch.WorkerLog;

/**
 * One worker of a process pool: its id, log and restart delay stay, its process and connection
 * are replaced when the process dies. Written by the supervisor (process) and the pool
 * (connection), read by anyone. A rolling restart gives a worker a new slot with the same id (and
 * so the same {@code env}); the old one retires once the new one is ready.
 */
final class WorkerSlot {

	final int id;

	final WorkerLog log;

	volatile Process process;

	volatile WorkerConnection connection;

	volatile long startedNanos;

	volatile Duration nextDelay;

	/** Taken out of the pool: its worker takes no more batches and is not restarted. */
	volatile boolean retired;

	/** Completes when a process of this slot first says hello. */
	final CompletableFuture<Void> ready = new CompletableFuture<>();

	WorkerSlot(String stage, int id, Duration firstDelay) {
		this.id = id;
		this.log = new WorkerLog(stage, id);
		this.nextDelay = firstDelay;
	}

}
