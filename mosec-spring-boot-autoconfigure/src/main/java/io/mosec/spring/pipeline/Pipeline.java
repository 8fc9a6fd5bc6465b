package io.mosec.spring.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.mosec.spring.protocol.Failure;
import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import io.mosec.spring.worker.WorkerPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Every stage's queue and batcher, and the hand-over of a task from one stage to the next of
 * its route. A stage shared by routes has one queue and one pool.
 */
public final class Pipeline {

	private static final Log logger = LogFactory.getLog(Pipeline.class);

	private final Map<String, StagePipeline> stages = new LinkedHashMap<>();

	private final Scheduler timer;

	private final PipelineTracing tracing;

	public Pipeline(List<WorkerPool> pools, PipelineListener listener) {
		this(pools, listener, PipelineTracing.NONE);
	}

	/**
	 * Creates the pipeline; nothing starts before {@link #start()}.
	 * @param pools each stage's workers
	 * @param listener told what happens, for metrics
	 * @param tracing the spans of traced requests' tasks
	 */
	public Pipeline(List<WorkerPool> pools, PipelineListener listener, PipelineTracing tracing) {
		pools.forEach((pool) -> this.stages.put(pool.stage().name(), new StagePipeline(pool, listener, tracing)));
		this.timer = Schedulers.parallel();
		this.tracing = tracing;
	}

	/**
	 * The trace a request's task joins ({@link Task#traced}).
	 * @param request the request's Reactor context
	 * @return the trace context, or {@code null} when untraced
	 */
	public Object traceOf(ContextView request) {
		return this.tracing.traceOf(request);
	}

	/**
	 * Starts every stage's workers, waits for their warm-up, then starts batching.
	 * @throws io.mosec.spring.worker.WorkerStartupException if a worker cannot start
	 */
	public void start() {
		// Stages start side by side; the first that cannot start fails the whole start at once.
		CompletableFuture<Void> failed = new CompletableFuture<>();
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		for (StagePipeline stage : this.stages.values()) {
			CompletableFuture<Void> start = stage.workers().start();
			start.whenComplete((ready, ex) -> {
				if (ex != null) {
					failed.completeExceptionally(ex);
				}
			});
			starts.add(start);
		}
		try {
			CompletableFuture.anyOf(CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)), failed).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
		this.stages.values().forEach((stage) -> stage.start(this::submit, this.timer));
	}

	/**
	 * The worker pool of a stage.
	 * @param stage the stage name
	 * @return the pool, or {@code null} if no route uses the stage
	 */
	public WorkerPool pool(String stage) {
		StagePipeline pipeline = this.stages.get(stage);
		return (pipeline != null) ? pipeline.workers() : null;
	}

	/**
	 * Tasks waiting for a worker of a stage.
	 * @param stage the stage name
	 * @return the count, 0 if no route uses the stage
	 */
	public int queued(String stage) {
		StagePipeline pipeline = this.stages.get(stage);
		return (pipeline != null) ? pipeline.queued() : 0;
	}

	/**
	 * The pools of every stage that some route uses.
	 * @return the pools, in route order
	 */
	public List<WorkerPool> pools() {
		return this.stages.values().stream().map(StagePipeline::workers).toList();
	}

	/**
	 * The number of stages with workers.
	 * @return the count
	 */
	public int size() {
		return this.stages.size();
	}

	/**
	 * Queues a task for its current stage.
	 * @param task the task
	 */
	public void submit(Task task) {
		StagePipeline stage = this.stages.get(task.stage().name());
		if (stage == null) {
			task.complete(TaskResult.failed(Failure.SERVICE_UNAVAILABLE, "stage '" + task.stage().name() + "' is not running"));
			return;
		}
		stage.submit(task);
	}

	/**
	 * Stops batching (tasks still queued are answered 503), then every stage's workers.
	 */
	public void stop() {
		this.stages.values().forEach(StagePipeline::stop);
		for (StagePipeline stage : this.stages.values()) {
			try {
				stage.workers().close();
			}
			catch (RuntimeException ex) {
				logger.warn("Stage '" + stage.stage().name() + "' did not stop cleanly", ex);
			}
		}
	}

}
