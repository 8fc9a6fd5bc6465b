package io.mosec.spring.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.worker.WorkerPool;

/**
 * Gauges read off the runtime when scraped: Mosec's {@code remaining_task} (requests in flight),
 * and what Mosec lacks: live workers, queued tasks and worker restarts per stage.
 */
public final class MosecStageMetrics implements MeterBinder {

	private final String namespace;

	private final Pipeline pipeline;

	private final InFlightTable inFlight;

	public MosecStageMetrics(String namespace, Pipeline pipeline, InFlightTable inFlight) {
		this.namespace = namespace;
		this.pipeline = pipeline;
		this.inFlight = inFlight;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(this.namespace + "_remaining_task", this.inFlight, InFlightTable::size)
			.description("Inference requests in flight")
			.register(registry);
		for (WorkerPool pool : this.pipeline.pools()) {
			String stage = pool.stage().name();
			Gauge.builder(this.namespace + "_live_workers", pool, (p) -> p.status().live())
				.description("Workers whose process is running")
				.tag("stage", stage)
				.register(registry);
			Gauge.builder(this.namespace + "_queued_tasks", this.pipeline, (p) -> p.queued(stage))
				.description("Tasks waiting for a worker of the stage")
				.tag("stage", stage)
				.register(registry);
			FunctionCounter.builder(this.namespace + "_worker_restarts", pool, (p) -> p.status().restarts())
				.description("Worker restarts since startup")
				.tag("stage", stage)
				.register(registry);
		}
	}

}
