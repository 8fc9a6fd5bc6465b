package io.mosec.spring.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.worker.WorkerReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handing batches to a stage's workers.
 */
class PipelineTests {

	private final StageDefinition stage = new StageDefinition("echo", "echo", Object.class, 0, 2, 1,
			Duration.ofMillis(1), Duration.ofSeconds(10), StageKind.WORKER, Object.class, Object.class, List.of(),
			List.of());

	private final RouteDefinition route = new RouteDefinition("/echo", List.of(this.stage));

	private final HeldPool pool = new HeldPool(this.stage);

	private final Pipeline pipeline = new Pipeline(List.of(this.pool), PipelineListener.NONE);

	private int nextId;

	@AfterEach
	void stop() {
		this.pipeline.stop();
	}

	@Test
	void keepsEveryWorkerBusyAfterSkippingATaskThatEndedWhileQueued() {
		this.pipeline.start();
		Task abandoned = task();
		// Its client went away while it waited: the stage skips it without a worker.
		abandoned.complete(TaskResult.cancelled());
		this.pipeline.submit(abandoned);
		this.pipeline.submit(task());
		this.pipeline.submit(task());
		assertThat(this.pool.running).as("batches with a worker").hasSize(2);
	}

	@Test
	void keepsEveryWorkerBusyAfterSkippingManyTasksThatEndedWhileQueued() {
		this.pipeline.start();
		for (int i = 0; i < 3; i++) {
			Task abandoned = task();
			abandoned.complete(TaskResult.cancelled());
			this.pipeline.submit(abandoned);
		}
		for (int i = 0; i < 4; i++) {
			this.pipeline.submit(task());
		}
		assertThat(this.pool.running).hasSize(2);
		this.pool.answerFirst();
		assertThat(this.pool.running).hasSize(2);
	}

	@Test
	void answersATaskAtItsRoutesLastStageWithThatStagesOutput() {
		this.pipeline.start();
		Task task = task();
		this.pipeline.submit(task);
		this.pool.answerFirst();
		assertThat(task.result().block(Duration.ofSeconds(1))).satisfies((result) -> {
			assertThat(result.status()).isEqualTo(200);
			assertThat(result.body()).asString().isEqualTo("{}");
		});
	}

	@Test
	void handsATaskToTheNextStageOfItsRouteWithTheOutputOfTheFirst() {
		StageDefinition second = new StageDefinition("second", "second", Object.class, 1, 1, 1, Duration.ofMillis(1),
				Duration.ofSeconds(10), StageKind.WORKER, Object.class, Object.class, List.of(), List.of());
		HeldPool secondPool = new HeldPool(second);
		Pipeline twoStages = new Pipeline(List.of(this.pool, secondPool), PipelineListener.NONE);
		twoStages.start();
		try {
			Task task = new Task(1, new RouteDefinition("/two", List.of(this.stage, second)), "{}".getBytes(),
					PayloadFormat.JSON, PayloadFormat.JSON, Runnable::run);
			twoStages.submit(task);
			this.pool.answerFirst();
			assertThat(task.isDone()).as("after its first stage").isFalse();
			assertThat(secondPool.running).singleElement()
				.satisfies((held) -> assertThat(held.batch().items().get(0).payload()).asString().isEqualTo("{}"));
			secondPool.answerFirst();
			assertThat(task.result().block(Duration.ofSeconds(1)).status()).isEqualTo(200);
		}
		finally {
			twoStages.stop();
		}
	}

	@Test
	void failsEveryTaskOfABatchWhoseReplyHasTheWrongNumberOfItems() {
		this.pipeline.start();
		Task first = task();
		this.pipeline.submit(first);
		Held held = this.pool.running.remove(0);
		held.reply().tryEmitValue(new WorkerReply(1, new Frame(0, List.of()), 0));
		assertThat(first.result().block(Duration.ofSeconds(1))).satisfies((result) -> {
			assertThat(result.status()).isEqualTo(500);
			assertThat(result.detail()).isEqualTo("inference internal error: malformed reply");
		});
	}

	@Test
	void answersTasksStillQueuedWhenItStopsWith503() {
		this.pipeline.start();
		this.pipeline.submit(task());
		this.pipeline.submit(task());
		Task queued = task();
		this.pipeline.submit(queued);
		assertThat(queued.isDone()).isFalse();
		this.pipeline.stop();
		assertThat(queued.result().block(Duration.ofSeconds(1))).satisfies((result) -> {
			assertThat(result.status()).isEqualTo(503);
			assertThat(result.detail()).isEqualTo("service unavailable: stage 'echo' has stopped");
		});
	}

	private Task task() {
		return new Task(++this.nextId, this.route, "{}".getBytes(), PayloadFormat.JSON, PayloadFormat.JSON, Runnable::run);
	}

	/** Holds every batch until the test answers it, like workers busy with a long forward. */
	private static final class HeldPool implements WorkerPool {

		private final StageDefinition stage;

		/** The batches with a worker, oldest first. */
		final List<Held> running = new CopyOnWriteArrayList<>();

		HeldPool(StageDefinition stage) {
			this.stage = stage;
		}

		@Override
		public StageDefinition stage() {
			return this.stage;
		}

		@Override
		public CompletableFuture<Void> start() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
			Held held = new Held(batch, Sinks.one());
			this.running.add(held);
			return held.reply().asMono();
		}

		/** The worker of the oldest batch answers it with its inputs. */
		void answerFirst() {
			Held first = this.running.remove(0);
			Frame answer = new Frame(0, first.batch()
				.items()
				.stream()
				.map((item) -> new Frame.Item(item.id(), Flags.OK, item.payload()))
				.toList());
			first.reply().tryEmitValue(new WorkerReply(1, answer, 0));
		}

		@Override
		public PoolStatus status() {
			return new PoolStatus(2, 2, 2, 0, List.of());
		}

		@Override
		public void close() {
		}

	}

	private record Held(Frame batch, Sinks.One<WorkerReply> reply) {
	}

}
