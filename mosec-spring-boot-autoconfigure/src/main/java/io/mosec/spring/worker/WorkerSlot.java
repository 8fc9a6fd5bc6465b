package io.mosec.spring.worker;

import java.time.Duration;

import io.mosec.spring.worker.launch.WorkerLog;

/**
 * One worker of a process pool: its id, log and restart delay stay, its process and connection
 * are replaced when the process dies. Written by the supervisor (process) and the pool
 * (connection), read by anyone.
 */
final class WorkerSlot {

	final int id;

	final WorkerLog log;

	volatile Process process;

	volatile WorkerConnection connection;

	volatile long startedNanos;

	volatile Duration nextDelay;

	WorkerSlot(String stage, int id, Duration firstDelay) {
		this.id = id;
		this.log = new WorkerLog(stage, id);
		this.nextDelay = firstDelay;
	}

}
