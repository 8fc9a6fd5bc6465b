package io.mosec.spring.worker;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stage's workers are doing, for health, metrics and operators.
 *
 * @param desired the configured number of workers
 * @param live workers whose process (or thread) is running
 * @param ready workers that have warmed up and take batches
 * @param restarts how often a worker was restarted since startup
 * @param readyPids the process id of each ready worker process, by worker id; empty for
 * workers that are threads of the server
 */
public record PoolStatus(int desired, int live, int ready, long restarts, Map<Integer, Long> readyPids) {

	public PoolStatus {
		readyPids = Collections.unmodifiableMap(new TreeMap<>(readyPids));
	}

	/**
	 * The status of workers that have no process of their own.
	 * @param desired the configured number of workers
	 * @param live workers that are running
	 * @param ready workers that take batches
	 * @param restarts restarts since startup
	 */
	public PoolStatus(int desired, int live, int ready, long restarts) {
		this(desired, live, ready, restarts, Map.of());
	}

}
