package io.mosec.spring.worker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stage's workers are doing, for health, metrics and operators.
 *
 * @param desired the configured number of workers
 * @param live workers whose process (or thread) is running
 * @param ready workers that have warmed up and take batches
 * @param restarts how often a worker was restarted since startup
 * @param workers each live worker, in id order
 */
public record PoolStatus(int desired, int live, int ready, long restarts, List<Worker> workers) {

	public PoolStatus {
		workers = List.copyOf(workers);
	}

	/**
	 * The process id of each ready worker process, by worker id.
	 * @return the ids and pids, in id order; empty for workers that are threads of the server
	 */
	public Map<Integer, Long> readyPids() {
		Map<Integer, Long> pids = new LinkedHashMap<>();
		this.workers.stream().filter((worker) -> worker.ready() && worker.pid() > 0)
			.forEach((worker) -> pids.put(worker.id(), worker.pid()));
		return pids;
	}

	/**
	 * One live worker.
	 *
	 * @param id its id
	 * @param pid its process id, -1 for a thread of the server
	 * @param ready whether it has warmed up and takes batches
	 */
	public record Worker(int id, long pid, boolean ready) {
	}

}
