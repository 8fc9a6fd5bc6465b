package io.mosec.spring.pipeline;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Dynamic batching: a batch closes when it holds {@code maxBatchSize} tasks, or when
 * {@code maxWaitTime} has passed since its first task, and is handed on only when a worker asks
 * for one, so batches keep growing while every worker is busy. With a wait of zero a free worker
 * takes what is queued at once.
 */
final class Batching {

	private Batching() {
	}

	static <T> Flux<List<T>> batches(Flux<T> tasks, int maxBatchSize, Duration maxWaitTime, Scheduler timer) {
		if (maxBatchSize == 1) {
			// No batching and no waiting: no timer per task.
			return tasks.map(List::of);
		}
		// Reactor refuses a zero timeout; a 1 ns one closes the batch as soon as the timer runs,
		// and while every worker is busy the batch still grows until one asks.
		Duration wait = maxWaitTime.isZero() ? Duration.ofNanos(1) : maxWaitTime;
		return tasks.bufferTimeout(maxBatchSize, wait, timer, true);
	}

}
