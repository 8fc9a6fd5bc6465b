package io.mosec.spring.pipeline;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Dynamic batching in virtual time.
 */
class BatchingTests {

	private static final Duration WAIT = Duration.ofMillis(10);

	private final Sinks.Many<Integer> tasks = Sinks.many().unicast().onBackpressureBuffer();

	@Test
	void closesABatchAsSoonAsItIsFull() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 4, WAIT, Schedulers.parallel()))
			.then(() -> emit(1, 2, 3, 4, 5))
			.expectNext(List.of(1, 2, 3, 4))
			.expectNoEvent(WAIT.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(List.of(5))
			.thenCancel()
			.verify();
	}

	@Test
	void closesABatchWhenTheWaitHasPassedSinceItsFirstTask() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 4, WAIT, Schedulers.parallel()))
			.then(() -> emit(1))
			.thenAwait(Duration.ofMillis(6))
			.then(() -> emit(2))
			.expectNoEvent(Duration.ofMillis(3))
			// 10 ms after the first task, not after the last one.
			.thenAwait(Duration.ofMillis(1))
			.expectNext(List.of(1, 2))
			.thenCancel()
			.verify();
	}

	@Test
	void letsALoneTaskWaitAtMostTheMaxWaitTime() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 32, WAIT, Schedulers.parallel()))
			.then(() -> emit(7))
			.expectNoEvent(WAIT.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(List.of(7))
			.thenCancel()
			.verify();
	}

	@Test
	void growsABatchWhileNoWorkerAsksForOne() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 4, WAIT, Schedulers.parallel()), 0)
			.then(() -> emit(1, 2))
			// Every worker is busy: the wait passes, but nobody asked, so the batch stays open.
			.thenAwait(WAIT.multipliedBy(5))
			.expectNoEvent(Duration.ofMillis(1))
			.then(() -> emit(3))
			.thenRequest(1)
			.expectNext(List.of(1, 2, 3))
			.thenCancel()
			.verify();
	}

	@Test
	void handsAFreeWorkerWhatIsQueuedAtOnceWhenTheWaitIsZero() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 32, Duration.ZERO, Schedulers.parallel()))
			.then(() -> emit(7, 8))
			// The timer's next turn, not a millisecond later.
			.thenAwait(Duration.ofNanos(1))
			.expectNext(List.of(7, 8))
			.thenCancel()
			.verify();
	}

	@Test
	void growsABatchWhileNoWorkerAsksForOneEvenWhenTheWaitIsZero() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 4, Duration.ZERO, Schedulers.parallel()), 0)
			.then(() -> emit(1, 2))
			.thenAwait(WAIT)
			.expectNoEvent(Duration.ofMillis(1))
			.then(() -> emit(3))
			.thenRequest(1)
			.expectNext(List.of(1, 2, 3))
			.then(() -> emit(4, 5, 6, 7, 8))
			.thenRequest(1)
			.expectNext(List.of(4, 5, 6, 7))
			.thenCancel()
			.verify();
	}

	@Test
	void handsOutOneTaskAtATimeWhenTheMaxBatchSizeIsOne() {
		StepVerifier.withVirtualTime(() -> Batching.batches(this.tasks.asFlux(), 1, WAIT, Schedulers.parallel()))
			.then(() -> emit(1, 2))
			.expectNext(List.of(1), List.of(2))
			.thenCancel()
			.verify();
	}

	private void emit(Integer... values) {
		for (Integer value : values) {
			this.tasks.emitNext(value, Sinks.EmitFailureHandler.FAIL_FAST);
		}
	}

}
