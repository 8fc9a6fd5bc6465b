package io.mosec.spring.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task completes exactly once, whoever races for it: its last stage, a failure, its deadline,
 * its client going away.
 */
class TaskTests {

	private static final Duration SOON = Duration.ofSeconds(1);

	@RepeatedTest(200)
	void completesExactlyOnceWhenTwoOutcomesRace() {
		Task task = task(StageKind.WORKER);
		TaskResult answer = TaskResult.ok(new byte[] { 1 });
		TaskResult timeout = TaskResult.timeout();
		AtomicInteger won = new AtomicInteger();
		RaceTestUtils.race(() -> won.addAndGet(task.complete(answer) ? 1 : 0),
				() -> won.addAndGet(task.complete(timeout) ? 1 : 0));
		assertThat(won).hasValue(1);
		StepVerifier.create(task.result()).expectNextMatches((result) -> result == answer || result == timeout)
			.expectComplete()
			.verify(SOON);
	}

	@RepeatedTest(200)
	void runsTheAbandonHookExactlyOnceWhetherItIsSetBeforeOrAfterTheTaskEnds() {
		Task task = task(StageKind.STREAM_WORKER);
		AtomicInteger cancelled = new AtomicInteger();
		RaceTestUtils.race(() -> task.whenAbandoned(cancelled::incrementAndGet),
				() -> task.complete(TaskResult.cancelled()));
		assertThat(cancelled).hasValue(1);
	}

	@Test
	void runsNoAbandonHookOnceTheStageHasAnswered() {
		Task task = task(StageKind.WORKER);
		AtomicInteger cancelled = new AtomicInteger();
		task.whenAbandoned(cancelled::incrementAndGet);
		task.whenAbandoned(null);
		task.complete(TaskResult.ok(new byte[0]));
		assertThat(cancelled).hasValue(0);
	}

	@Test
	void endsAStreamsEventsWhenTheTaskCompletesAndDropsLaterOnes() {
		Task task = task(StageKind.STREAM_WORKER);
		task.event(new byte[] { 1 });
		task.complete(TaskResult.failed(Failure.CLIENT_CLOSED, null));
		task.event(new byte[] { 2 });
		StepVerifier.create(task.events()).expectNextMatches((data) -> data[0] == 1).expectComplete().verify(SOON);
	}

	@Test
	void endsAStreamAndTellsItsWorkerWhenTheClientLeavesWhileAnEventIsDelivered() throws Exception {
		Task task = task(StageKind.STREAM_WORKER);
		AtomicInteger cancelled = new AtomicInteger();
		task.whenAbandoned(cancelled::incrementAndGet);
		TaskResult left = TaskResult.cancelled();
		Thread client = new Thread(() -> task.complete(left), "client-event-loop");
		// The client leaves on another thread while the first event is still with its subscriber: it
		// waits for the delivery to end (a serialized sink made it spin, then give up after 1 s).
		StepVerifier.create(task.events().doOnNext((data) -> {
			client.start();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.getState() == Thread.State.BLOCKED || !client.isAlive());
		})).then(() -> task.event(new byte[] { 1 })).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
		client.join(10_000);
		assertThat(cancelled).hasValue(1);
		assertThat(task.result().block(SOON)).isSameAs(left);
	}

	private static Task task(StageKind kind) {
		StageDefinition stage = new StageDefinition("s", "s", Object.class, 0, 1, 1, Duration.ZERO, Duration.ofSeconds(1),
				kind, Object.class, Object.class, List.of(), List.of());
		return new Task(1, new RouteDefinition("/s", List.of(stage)), new byte[] { '1' }, PayloadFormat.JSON,
				PayloadFormat.JSON, Runnable::run);
	}

}
