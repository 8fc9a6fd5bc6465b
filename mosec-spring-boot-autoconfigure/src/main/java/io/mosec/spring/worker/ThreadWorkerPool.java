package io.mosec.spring.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.worker.child.CancellableEvents;
import io.mosec.spring.worker.child.EventChannel;
import io.mosec.spring.worker.child.ForwardTracing;
import io.mosec.spring.worker.child.InputValidator;
import io.mosec.spring.worker.child.StageRunner;
import io.mosec.spring.support.WorkerLogFields;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs a stage in {@code num} threads of the server JVM, each with one batch at a time.
 * <p>
 * For tests and small services. A {@code forward} that outlives the stage timeout answers 408,
 * but its thread cannot be stopped safely: that worker takes no batch until it returns.
 */
public final class ThreadWorkerPool implements WorkerPool {

	private static final Log logger = LogFactory.getLog(ThreadWorkerPool.class);

	private final StageDefinition stage;

	private final Supplier<Object> bean;

	private final PayloadCodec codec;

	private final InputValidator validator;

	private final StageTimer timer;

	private final ForwardTracing tracing;

	private final IdleWorkers<ThreadWorker> idle = new IdleWorkers<>();

	private final List<ThreadWorker> workers = new ArrayList<>();

	/**
	 * Creates the pool; nothing starts before {@link #start()}.
	 * @param stage the stage
	 * @param bean the stage's bean
	 * @param codec decodes inputs and encodes outputs
	 * @param validator validates ingress inputs
	 * @param timer bounds each batch by the stage timeout
	 * @param tracing opens the stage's spans under each traced task's
	 */
	public ThreadWorkerPool(StageDefinition stage, Supplier<Object> bean, PayloadCodec codec,
			InputValidator validator, StageTimer timer, ForwardTracing tracing) {
		this.stage = stage;
		this.tracing = tracing;
		this.timer = timer;
		this.bean = bean;
		this.codec = codec;
		this.validator = validator;
	}

	@Override
	public StageDefinition stage() {
		return this.stage;
	}

	@Override
	public CompletableFuture<Void> start() {
		for (int id = 1; id <= this.stage.num(); id++) {
			long started = System.nanoTime();
			ExecutorService executor = Executors.newSingleThreadExecutor(
					new CustomizableThreadFactory("mosec-" + this.stage.name() + "-" + id + "-"));
			executor.execute(WorkerLogFields.setter(this.stage.name(), id));
			ThreadWorker worker = new ThreadWorker(id, executor);
			this.workers.add(worker);
			try {
				// Created on the stage's thread, so that what it registers there is the stage's (StageThreadTags).
				StageRunner runner = executor
					.submit(() -> new StageRunner(this.stage, this.bean.get(), this.codec, this.validator,
							worker.id, this.tracing))
					.get();
				int examples = executor.submit(runner::warmUp).get();
				worker.runner = runner;
				logger.info("Stage '" + this.stage.name() + "' worker " + id + " ready (thread, " + examples
						+ " warm-up examples, " + (System.nanoTime() - started) / 1_000_000 + " ms)");
			}
			catch (Exception ex) {
				Throwable cause = (ex instanceof java.util.concurrent.ExecutionException) ? ex.getCause() : ex;
				return CompletableFuture.failedFuture(new WorkerStartupException("Stage '" + this.stage.name()
						+ "' worker " + id + " failed to start or warm up: " + cause, cause));
			}
			this.idle.release(worker);
		}
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
		// The worker is free again when forward returns, not when the caller stops waiting.
		return this.idle.acquire()
			.flatMap((worker) -> Exchanges.run(this.stage, this.timer, worker.id, () -> run(worker, batch, events), worker.executor,
					(ex) -> this.idle.release(worker), () -> {
					}));
	}

	private Frame run(ThreadWorker worker, Frame batch, BatchEvents events) {
		Frame traces = events.handedOver(worker.id);
		if (!this.stage.streaming()) {
			return worker.runner.run(batch, traces, EventChannel.DISCARD);
		}
		// Events go straight to the pipeline; a cancelled task is one the stream's sink stops.
		CancellableEvents channel = new CancellableEvents(events::event);
		events.started(channel::cancel);
		return worker.runner.run(batch, traces, channel);
	}

	@Override
	public PoolStatus status() {
		List<PoolStatus.Worker> ready = this.workers.stream()
			.filter((worker) -> worker.runner != null)
			.map((worker) -> new PoolStatus.Worker(worker.id, -1, true))
			.toList();
		return new PoolStatus(this.stage.num(), ready.size(), ready.size(), 0, ready);
	}

	@Override
	public void close() {
		this.workers.forEach((worker) -> worker.executor.shutdownNow());
	}

	private static final class ThreadWorker {

		private final int id;

		private final ExecutorService executor;

		private volatile StageRunner runner;

		ThreadWorker(int id, ExecutorService executor) {
			this.id = id;
			this.executor = executor;
		}

		@Override
		public String toString() {
			return "thread worker " + this.id;
		}

	}

}
