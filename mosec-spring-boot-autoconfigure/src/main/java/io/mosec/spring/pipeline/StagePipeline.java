package io.mosec.spring.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.mosec.spring.protocol.ErrorReport;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.worker.StageTimeoutException;
import io.mosec.spring.worker.WorkerExitedException;
import io.mosec.spring.worker.WorkerPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * One stage's queue and batcher: tasks go into a sink, leave it in batches, and each batch goes
 * to an idle worker of the stage's pool; each task of the reply moves on to its next stage or
 * completes.
 */
final class StagePipeline {

	private static final Log logger = LogFactory.getLog(StagePipeline.class);

	private final StageDefinition stage;

	private final WorkerPool workers;

	/*
	 * Many request threads submit at once. A unicast sink over a multi-producer queue accepts
	 * concurrent emissions (offer is thread-safe, draining is serialised inside the sink); the
	 * safe Sinks.many() would answer FAIL_NON_SERIALIZED under contention instead.
	 */
	private final Sinks.Many<Task> queue = Sinks.unsafe()
		.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Task>unboundedMultiproducer().get());

	private final PipelineListener listener;

	private final PipelineTracing tracing;

	private final AtomicInteger queued = new AtomicInteger();

	private Disposable subscription;

	StagePipeline(WorkerPool workers, PipelineListener listener, PipelineTracing tracing) {
		this.stage = workers.stage();
		this.workers = workers;
		this.listener = listener;
		this.tracing = tracing;
	}

	/**
	 * Tasks waiting for a worker of this stage.
	 * @return the count
	 */
	int queued() {
		return this.queued.get();
	}

	StageDefinition stage() {
		return this.stage;
	}

	WorkerPool workers() {
		return this.workers;
	}

	/**
	 * Starts taking batches off the queue.
	 * @param onward receives each task that finished this stage and has another one to go
	 * @param timer the scheduler of the batch wait
	 */
	void start(Consumer<Task> onward, Scheduler timer) {
		this.subscription = Batching.batches(this.queue.asFlux(), this.stage.maxBatchSize(), this.stage.maxWaitTime(), timer)
			.flatMap((batch) -> dispatch(batch, onward), this.stage.num())
			// Tasks still queued or batched when the stage stops are answered, not left to time out.
			.doOnDiscard(Task.class, (task) -> task.complete(TaskResult.failed(Failure.SERVICE_UNAVAILABLE,
					"stage '" + this.stage.name() + "' has stopped")))
			.subscribe(null, (ex) -> logger.error("The pipeline of stage '" + this.stage.name() + "' stopped", ex));
	}

	/**
	 * Queues a task for this stage.
	 * @param task the task
	 */
	void submit(Task task) {
		task.queued(System.nanoTime());
		this.queued.incrementAndGet();
		Sinks.EmitResult result = this.queue.tryEmitNext(task);
		if (result.isFailure()) {
			this.queued.decrementAndGet();
			task.complete(TaskResult.failed(Failure.SERVICE_UNAVAILABLE,
					"stage '" + this.stage.name() + "' is not accepting tasks (" + result + ")"));
		}
	}

	/**
	 * Stops taking batches; what is still queued is answered 503.
	 */
	void stop() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
		this.queue.tryEmitComplete();
	}

	private Mono<Void> dispatch(List<Task> batch, Consumer<Task> onward) {
		this.queued.addAndGet(-batch.size());
		long handedOver = System.nanoTime();
		long firstQueued = handedOver;
		List<Task> live = new ArrayList<>(batch.size());
		List<Frame.Item> items = new ArrayList<>(batch.size());
		for (Task task : batch) {
			firstQueued = Math.min(firstQueued, task.queuedNanos());
			// A task that timed out or was abandoned while queued never reaches forward.
			if (!task.isDone()) {
				live.add(task);
				items.add(new Frame.Item(task.id(), task.state(), task.payload()));
			}
		}
		if (live.isEmpty()) {
			// Not a bare Mono.empty(): flatMap asks for more after a scalar result only every few
			// of them (every second one with 2 workers), so each skipped batch would idle a worker
			// until the next one. Hidden, it completes like any batch and frees its slot at once.
			return Mono.<Void>empty().hide();
		}
		long batchNanos = handedOver - firstQueued;
		PipelineTracing.BatchTrace trace = this.tracing.batch(this.stage, live);
		BatchEvents events = trace.around(this.stage.streaming() ? new StreamEvents(live) : BatchEvents.NONE);
		return this.workers.dispatch(new Frame(0, items), events)
			.doOnNext((reply) -> {
				trace.answered(reply.frame());
				this.listener.batchAnswered(this.stage, reply.workerId(), live.size(), batchNanos, reply.forwardNanos());
				deliver(live, reply.frame(), onward);
			})
			.doOnCancel(() -> trace.failed(new CancellationException("stage '" + this.stage.name() + "' stopped")))
			.onErrorResume((ex) -> {
				trace.failed(ex);
				TaskResult failure = failure(ex);
				live.forEach((task) -> task.complete(failure));
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Answers each task on its own I/O thread ({@link Task#answer}), so that this slot asks for
	 * its next batch at once instead of writing every response of the batch first; a task with
	 * another stage to go is queued there directly.
	 */
	private void deliver(List<Task> live, Frame reply, Consumer<Task> onward) {
		if (reply.items().size() != live.size()) {
			logger.error("Stage '" + this.stage.name() + "' answered " + reply.items().size() + " items for a batch of "
					+ live.size());
			live.forEach((task) -> task.answer(TaskResult.failed(Failure.INTERNAL_ERROR, "malformed reply")));
			return;
		}
		for (int i = 0; i < live.size(); i++) {
			Task task = live.get(i);
			Frame.Item item = reply.items().get(i);
			// The stage has answered: a client going away from here on has nothing to cancel.
			task.whenAbandoned(null);
			if (item.id() != task.id()) {
				task.answer(TaskResult.failed(Failure.INTERNAL_ERROR, "reply out of order"));
			}
			else if (item.state() != Flags.OK) {
				task.answer(TaskResult.reported(item.state(), ErrorReport.fromBytes(item.payload())));
			}
			else if (task.atEgress()) {
				task.answer(TaskResult.ok(item.payload()));
			}
			else if (!task.isDone()) {
				task.advance(item.payload());
				onward.accept(task);
			}
		}
	}

	private TaskResult failure(Throwable ex) {
		if (ex instanceof StageTimeoutException) {
			return TaskResult.failed(Failure.TIMEOUT, ex.getMessage());
		}
		if (ex instanceof WorkerExitedException) {
			logger.warn("A batch of stage '" + this.stage.name() + "' failed: " + ex.getMessage());
			return TaskResult.failed(Failure.INTERNAL_ERROR, ex.getMessage());
		}
		logger.error("A batch of stage '" + this.stage.name() + "' failed", ex);
		return TaskResult.failed(Failure.INTERNAL_ERROR, ex.getMessage());
	}

	/** Passes a streaming batch's events to their tasks, and their clients' departures back. */
	private static final class StreamEvents implements BatchEvents {

		private final Map<Integer, Task> tasks = new HashMap<>();

		StreamEvents(List<Task> live) {
			live.forEach((task) -> this.tasks.put(task.id(), task));
		}

		@Override
		public void started(IntConsumer cancel) {
			this.tasks.values().forEach((task) -> task.whenAbandoned(() -> cancel.accept(task.id())));
		}

		@Override
		public void event(int taskId, byte[] data) {
			Task task = this.tasks.get(taskId);
			if (task != null) {
				task.event(data);
			}
		}

	}

}
