package io.mosec.spring.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle workers of a pool: written by hand (see the class), so its hand-over under
 * cancellation is tested here, in the style of Reactor's own operator tests.
 */
class IdleWorkersTests {

	private static final Duration SOON = Duration.ofSeconds(1);

	private static final StageDefinition STAGE = new StageDefinition("s", "s", Object.class, 0, 1, 1, Duration.ZERO,
			Duration.ofSeconds(10), StageKind.WORKER, Object.class, Object.class, List.of(), List.of());

	private final IdleWorkers<String> idle = new IdleWorkers<>();

	private final StageTimer timer = new StageTimer();

	@Test
	void handsAnIdleWorkerAtOnce() {
		this.idle.release("w1");
		StepVerifier.create(this.idle.acquire()).expectNext("w1").expectComplete().verify(SOON);
	}

	@Test
	void makesABatchWaitUntilAWorkerIsReleased() {
		StepVerifier.create(this.idle.acquire())
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> this.idle.release("w1"))
			.expectNext("w1")
			.expectComplete()
			.verify(SOON);
	}

	@Test
	void servesWaitingBatchesInTheOrderTheyCame() {
		AtomicReference<String> first = new AtomicReference<>();
		AtomicReference<String> second = new AtomicReference<>();
		this.idle.acquire().subscribe(first::set);
		this.idle.acquire().subscribe(second::set);
		this.idle.release("w1");
		this.idle.release("w2");
		assertThat(first).hasValue("w1");
		assertThat(second).hasValue("w2");
	}

	@Test
	void givesAWorkerReleasedAfterItsWaiterWasCancelledToTheNextOne() {
		this.idle.acquire().subscribe().dispose();
		this.idle.release("w1");
		StepVerifier.create(this.idle.acquire()).expectNext("w1").expectComplete().verify(SOON);
	}

	@Test
	void neverHandsOutARemovedWorker() {
		this.idle.release("dead");
		this.idle.remove("dead");
		StepVerifier.create(this.idle.acquire()).expectSubscription().expectNoEvent(Duration.ofMillis(50)).thenCancel()
			.verify(SOON);
	}

	/**
	 * A dispatch cancelled just as its worker is handed to it (the pipeline stopping): whichever
	 * wins, the worker comes back, because a dispatch starts its exchange as soon as the worker
	 * arrives ({@link Exchanges}) and gives it back when the exchange ends.
	 */
	@RepeatedTest(500)
	void keepsTheWorkerWhenADispatchIsCancelledAsTheWorkerIsHandedToIt() {
		Disposable dispatch = this.idle.acquire()
			.flatMap((worker) -> Exchanges.run(STAGE, this.timer, 1,
					() -> CompletableFuture.completedFuture(new Frame(Flags.OK, List.of())),
					(ex) -> this.idle.release(worker), () -> {
					}))
			.subscribe();
		RaceTestUtils.race(dispatch::dispose, () -> this.idle.release("w1"));
		StepVerifier.create(this.idle.acquire()).expectNext("w1").expectComplete().verify(SOON);
	}

	@AfterEach
	void stopTimer() {
		this.timer.close();
	}

	@Test
	void takesBackTheWorkerOfABatchThatIsCancelledBeforeItAsksForIt() {
		// A worker lost here would idle forever.
		StepVerifier.create(this.idle.acquire(), 0)
			.expectSubscription()
			.then(() -> this.idle.release("w1"))
			.thenCancel()
			.verify(SOON);
		StepVerifier.create(this.idle.acquire()).expectNext("w1").expectComplete().verify(SOON);
	}

}
