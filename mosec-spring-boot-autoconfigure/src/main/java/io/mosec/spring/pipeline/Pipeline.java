package io.mosec.spring.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import io.mosec.spring.worker.WorkerPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every stage's queue and batcher, and the hand-over of a task from one stage to the next of
 * its route. A stage shared by routes has one queue and one pool.
 */
public final class Pipeline {

	private static final Log logger = LogFactory.getLog(Pipeline.class);

	private final Map<String, StagePipeline> stages = new LinkedHashMap<>();

	private final Scheduler timer;

	public Pipeline(List<WorkerPool> pools) {
		this(pools, Schedulers.parallel());
	}

	Pipeline(List<WorkerPool> pools, Scheduler timer) {
		pools.forEach((pool) -> this.stages.put(pool.stage().name(), new StagePipeline(pool)));
		this.timer = timer;
	}

	/**
	 * Starts every stage's workers, waits for their warm-up, then starts batching.
	 * @throws io.mosec.spring.worker.WorkerStartupException if a worker cannot start
	 */
	public void start() {
		this.stages.values().forEach((stage) -> stage.workers().start());
		this.stages.values().forEach((stage) -> stage.start(this::submit, this.timer));
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
			task.complete(TaskResult.error(503, "service unavailable: stage '" + task.stage().name() + "' is not running"));
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
