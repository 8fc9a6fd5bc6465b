package io.mosec.spring.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.support.DaemonThreads;
import io.mosec.spring.worker.launch.ArchiveTrainer;
import io.mosec.spring.worker.launch.ClassDataArchive;
import io.mosec.spring.worker.launch.WorkerLauncher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Runs a stage in {@code num} worker processes, each a re-launch of this application, connected
 * over the stage's Unix domain socket with one batch in flight at a time.
 * <p>
 * A worker connects once it has warmed up, so a connection means ready. The first worker starts
 * alone and the others once it is ready. A {@code forward} that outlives the stage timeout costs
 * the worker its process: a thread cannot be stopped safely, a process can. The pieces:
 * {@link WorkerAcceptor} (the socket and the hello), {@link WorkerSupervisor} (launch, restart,
 * stop), {@link WorkerConnection} (one worker's batches); this class joins them.
 */
public final class ProcessWorkerPool implements WorkerPool {

	private static final Log logger = LogFactory.getLog(ProcessWorkerPool.class);

	private final StageDefinition stage;

	private final StageTimer timer;

	private final Duration startupTimeout;

	private final Duration shutdownTimeout;

	private final List<WorkerSlot> slots = new ArrayList<>();

	private final IdleWorkers<WorkerConnection> idle = new IdleWorkers<>();

	private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

	private final ArchiveTrainer trainer;

	private final WorkerSupervisor supervisor;

	private final WorkerAcceptor acceptor;

	/**
	 * Creates the pool; nothing starts before {@link #start()}.
	 * @param stage the stage
	 * @param socket the stage's socket path, in a private directory
	 * @param launcher builds each worker's command
	 * @param startupTimeout how long start may wait for a first ready worker
	 * @param shutdownTimeout how long close waits for workers to exit before killing them
	 * @param maxItemBytes the largest payload a worker may send for one task
	 * @param timer bounds each batch by the stage timeout
	 */
	public ProcessWorkerPool(StageDefinition stage, Path socket, WorkerLauncher launcher, Duration startupTimeout,
			Duration shutdownTimeout, int maxItemBytes, StageTimer timer) {
		this.stage = stage;
		this.timer = timer;
		this.startupTimeout = startupTimeout;
		this.shutdownTimeout = shutdownTimeout;
		for (int id = 1; id <= stage.num(); id++) {
			this.slots.add(new WorkerSlot(stage.name(), id, WorkerSupervisor.FIRST_RESTART_DELAY));
		}
		ClassDataArchive classData = launcher.classDataArchive(stage);
		this.trainer = new ArchiveTrainer(stage, launcher, classData, socket);
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.named("mosec-" + stage.name() + "-supervisor-"));
		this.supervisor = new WorkerSupervisor(stage.name(), this.slots,
				(slot) -> launcher.processBuilder(stage, slot.id, socket, classData.optionsForNextWorker()), executor,
				this.firstReady, this::dropConnection);
		this.acceptor = new WorkerAcceptor(stage.name(), socket, stage.maxBatchSize(), maxItemBytes, executor,
				this::register);
	}

	@Override
	public StageDefinition stage() {
		return this.stage;
	}

	@Override
	public CompletableFuture<Void> start() {
		try {
			this.acceptor.listen();
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(new WorkerStartupException("Stage '" + this.stage.name()
					+ "' cannot listen on its socket: " + ex.getMessage(), ex));
		}
		// The first worker alone; the others once it is ready (register): the port opens when every
		// stage has one ready worker, and on a few cores that comes sooner when fewer JVMs start at once.
		this.supervisor.launch(this.slots.get(0));
		return this.firstReady.orTimeout(this.startupTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture((ex instanceof TimeoutException)
					? new WorkerStartupException("Stage '" + this.stage.name() + "' has no ready worker after "
							+ this.startupTimeout + " (mosec.worker.startup-timeout)" + this.slots.get(0).log.lastLines(),
							null)
					: ex));
	}

	@Override
	public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
		return this.idle.acquire()
			.flatMap((connection) -> Exchanges.run(this.stage, this.timer, connection.workerId(),
					() -> connection.exchange(batch, events), (ex) -> {
						if (ex == null && !connection.isBroken()) {
							this.idle.release(connection);
						}
						else {
							// The process is gone or its connection cannot be trusted: its supervisor replaces it.
							connection.kill();
						}
					}, connection::kill));
	}

	@Override
	public PoolStatus status() {
		int live = 0;
		Map<Integer, Long> ready = new LinkedHashMap<>();
		for (WorkerSlot slot : this.slots) {
			// One read of each: a restart may replace them while this runs.
			Process process = slot.process;
			WorkerConnection connection = slot.connection;
			if (process != null && process.isAlive()) {
				live++;
				if (connection != null && connection.process() == process) {
					ready.put(slot.id, process.pid());
				}
			}
		}
		return new PoolStatus(this.slots.size(), live, ready.size(), this.supervisor.restarts(), ready);
	}

	/** A connection that said hello: a worker of ours is ready. */
	private void register(int workerId, long pid, FrameChannel channel) {
		WorkerSlot slot = (workerId >= 1 && workerId <= this.slots.size()) ? this.slots.get(workerId - 1) : null;
		Process process = (slot != null) ? slot.process : null;
		if (process == null || process.pid() != pid) {
			throw new IllegalStateException("worker " + workerId + " (pid " + pid + ") is not one of ours");
		}
		WorkerConnection connection = new WorkerConnection(this.stage.name(), workerId, this.stage.streaming(), process,
				channel);
		slot.connection = connection;
		if (!process.isAlive()) {
			connection.close();
			return;
		}
		logger.info("Stage '" + this.stage.name() + "' worker " + workerId + " ready (pid " + pid + ", "
				+ (System.nanoTime() - slot.startedNanos) / 1_000_000 + " ms after launch)");
		boolean first = this.firstReady.complete(null);
		this.idle.release(connection);
		if (first) {
			this.slots.subList(1, this.slots.size()).forEach(this.supervisor::launch);
		}
		if (status().ready() == this.slots.size()) {
			this.trainer.startIfNeeded();
		}
	}

	/** A worker exited: its connection takes no more batches. */
	private void dropConnection(WorkerSlot slot) {
		WorkerConnection connection = slot.connection;
		if (connection != null && connection.process() == slot.process) {
			slot.connection = null;
			this.idle.remove(connection);
			connection.close();
		}
	}

	/** Stops in order: the archive training, new connections, then the workers. */
	@Override
	public void close() {
		this.trainer.close();
		this.acceptor.close();
		this.supervisor.stop(this.shutdownTimeout);
	}

}
