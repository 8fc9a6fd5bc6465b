package io.mosec.spring.pipeline;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Dynamic batching: a batch closes when it holds {@code maxBatchSize} tasks, or when
 * {@code maxWaitTime} has passed since its first task, and is handed on only when a worker asks
 * for one, so batches keep growing while every worker is busy.
 */
final class Batching {

	private Batching() {
	}

	static <T> Flux<List<T>> batches(Flux<T> tasks, int maxBatchSize, Duration maxWaitTime, Scheduler timer) {
		if (maxBatchSize == 1) {
			// No batching and no waiting: no timer per task.
			return tasks.map(List::of);
		}
		return tasks.bufferTimeout(maxBatchSize, maxWaitTime, timer, true);
	}

}
