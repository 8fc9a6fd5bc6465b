package io.mosec.spring.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One batch on one worker against the stage timeout, on a virtual clock: whichever of the reply
 * and the timeout comes first decides, and the worker is told of both ends exactly once.
 */
class ExchangesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static final StageDefinition STAGE = new StageDefinition("s", "s", Object.class, 0, 1, 1, Duration.ZERO,
			TIMEOUT, StageKind.WORKER, Object.class, Object.class, List.of(), List.of());

	private static final Frame REPLY = new Frame(Flags.OK, List.of(new Frame.Item(1, Flags.OK, new byte[] { 1 })));

	/** The stage timeout on whatever virtual clock the test runs. */
	private static final Exchanges.Timeouts VIRTUAL = (command, delay) -> {
		Disposable scheduled = VirtualTimeScheduler.get().schedule(command, delay.toNanos(), TimeUnit.NANOSECONDS);
		return scheduled::dispose;
	};

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicReference<Throwable> finishedWith = new AtomicReference<>();

	private final AtomicInteger timedOut = new AtomicInteger();

	@Test
	void answersWithTheWorkersReplyAndCancelsTheTimeout() {
		StepVerifier.withVirtualTime(() -> run(CompletableFuture.completedFuture(REPLY)))
			.assertNext((reply) -> {
				assertThat(reply.workerId()).isEqualTo(7);
				assertThat(reply.frame()).isSameAs(REPLY);
			})
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		VirtualTimeScheduler.getOrSet().advanceTimeBy(TIMEOUT.multipliedBy(2));
		assertThat(this.finished).hasValue(1);
		assertThat(this.finishedWith).hasValue(null);
		assertThat(this.timedOut).hasValue(0);
	}

	@Test
	void failsWithAStageTimeoutAtTheStageTimeoutAndNotBefore() {
		CompletableFuture<Frame> call = new CompletableFuture<>();
		StepVerifier.withVirtualTime(() -> run(call))
			.expectSubscription()
			.expectNoEvent(TIMEOUT.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StageTimeoutException.class)
				.hasMessage("stage 's' exceeded its timeout of PT2S"))
			.verify(Duration.ofSeconds(5));
		assertThat(this.timedOut).hasValue(1);
		assertThat(this.finished).as("the worker is still busy").hasValue(0);
		// The late reply frees the worker, and goes nowhere else.
		call.complete(REPLY);
		assertThat(this.finished).hasValue(1);
		assertThat(this.timedOut).hasValue(1);
	}

	@Test
	void passesOnTheFailureOfTheExchangeAndTellsTheWorkerWhy() {
		WorkerExitedException exited = new WorkerExitedException("worker exited (stage 's' worker 7)");
		StepVerifier.withVirtualTime(() -> run(CompletableFuture.failedFuture(exited)))
			.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(exited))
			.verify(Duration.ofSeconds(5));
		assertThat(this.finished).hasValue(1);
		assertThat(this.finishedWith.get()).satisfiesAnyOf((ex) -> assertThat(ex).isSameAs(exited),
				(ex) -> assertThat(ex).hasCause(exited));
		assertThat(this.timedOut).hasValue(0);
	}

	private reactor.core.publisher.Mono<WorkerReply> run(CompletableFuture<Frame> call) {
		return Exchanges.run(STAGE, VIRTUAL, 7, () -> call, (ex) -> {
			this.finishedWith.set(ex);
			this.finished.incrementAndGet();
		}, this.timedOut::incrementAndGet);
	}

}
