package io.mosec.spring.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.support.DaemonThreads;
import io.mosec.spring.worker.launch.WorkerCommands;
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

	private final IdleWorkers<WorkerConnection> idle = new IdleWorkers<>();

	private final WorkerRoster roster;

	/** The number of workers asked for: {@code num}, then what {@link #resize} set. */
	private volatile int desired;

	/** The last resize or restart asked for. */
	private CompletableFuture<Void> changes = CompletableFuture.completedFuture(null);

	private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

	private final WorkerCommands commands;

	private final WorkerSupervisor supervisor;

	private final WorkerAcceptor acceptor;

	private final WorkerMeters meters;

	/**
	 * Creates the pool; nothing starts before {@link #start()}.
	 * @param stage the stage
	 * @param socket the stage's socket path, in a private directory
	 * @param commands builds each worker's command
	 * @param startupTimeout how long start may wait for a first ready worker
	 * @param shutdownTimeout how long close waits for workers to exit before killing them
	 * @param maxItemBytes the largest payload a worker may send for one task
	 * @param timer bounds each batch by the stage timeout
	 * @param meters where the meters its workers record go
	 */
	public ProcessWorkerPool(StageDefinition stage, Path socket, WorkerCommands commands, Duration startupTimeout,
			Duration shutdownTimeout, int maxItemBytes, StageTimer timer, WorkerMeters meters) {
		this.stage = stage;
		this.meters = meters;
		this.timer = timer;
		this.startupTimeout = startupTimeout;
		this.shutdownTimeout = shutdownTimeout;
		this.roster = new WorkerRoster(stage.name(), stage.num(), this.idle);
		this.desired = stage.num();
		this.commands = commands;
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.named("mosec-" + stage.name() + "-supervisor-"));
		this.supervisor = new WorkerSupervisor(stage.name(), this.roster::all,
				(slot) -> commands.processBuilder(slot.id), executor,
				this.firstReady, this::exited);
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
		this.supervisor.launch(this.roster.active().get(0));
		return this.firstReady.orTimeout(this.startupTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture((ex instanceof TimeoutException)
					? new WorkerStartupException("Stage '" + this.stage.name() + "' has no ready worker after "
							+ this.startupTimeout + " (mosec.worker.startup-timeout)"
							+ this.roster.active().get(0).log.lastLines(),
							null)
					: ex));
	}

	@Override
	public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
		return this.idle.acquire()
			.flatMap((connection) -> Exchanges.run(this.stage, this.timer, connection.workerId(),
					() -> connection.exchange(batch, events), (ex) -> {
						if (ex == null && !connection.isBroken()) {
							this.roster.offer(connection);
						}
						else {
							// The process is gone or its connection cannot be trusted: its supervisor replaces it.
							connection.kill();
						}
					}, connection::kill));
	}

	@Override
	public PoolStatus status() {
		List<PoolStatus.Worker> live = new ArrayList<>();
		int ready = 0;
		for (WorkerSlot slot : this.roster.active()) {
			// One read of each: a restart may replace them while this runs.
			Process process = slot.process;
			WorkerConnection connection = slot.connection;
			if (process != null && process.isAlive()) {
				boolean isReady = connection != null && connection.process() == process;
				ready += isReady ? 1 : 0;
				live.add(new PoolStatus.Worker(slot.id, process.pid(), isReady));
			}
		}
		return new PoolStatus(this.desired, live.size(), ready, this.supervisor.restarts(), live);
	}

	/** A connection that said hello: a worker of ours is ready. */
	private void register(int workerId, long pid, FrameChannel channel) {
		WorkerSlot slot = this.roster.byPid(pid);
		if (slot == null || slot.id != workerId) {
			throw new IllegalStateException("worker " + workerId + " (pid " + pid + ") is not one of ours");
		}
		Process process = slot.process;
		WorkerConnection connection = new WorkerConnection(this.stage.name(), slot, this.stage.streaming(), process,
				channel, this.meters.connect(this.stage.name(), workerId));
		slot.connection = connection;
		if (!process.isAlive() || slot.retired) {
			// Gone, or resized away while it said hello (retire saw no connection and stopped it).
			connection.close();
			return;
		}
		logger.info("Stage '" + this.stage.name() + "' worker " + workerId + " ready (pid " + pid + ", "
				+ (System.nanoTime() - slot.startedNanos) / 1_000_000 + " ms after launch)");
		boolean first = this.firstReady.complete(null);
		this.roster.offer(connection);
		slot.ready.complete(null);
		List<WorkerSlot> active = this.roster.active();
		if (first) {
			active.subList(1, active.size()).forEach(this.supervisor::launch);
		}
		if (status().ready() == active.size()) {
			this.commands.allReady();
		}
	}

	/** A worker exited: its connection takes no more batches; a retired one is not restarted. */
	private boolean exited(WorkerSlot slot) {
		WorkerConnection connection = slot.connection;
		if (connection != null && connection.process() == slot.process) {
			slot.connection = null;
			this.idle.remove(connection);
			connection.close();
		}
		return this.roster.exited(slot);
	}

	@Override
	public synchronized CompletableFuture<Void> resize(int num) {
		return after((done) -> changeSize(num));
	}

	@Override
	public synchronized CompletableFuture<Void> restart() {
		return after((done) -> {
			CompletableFuture<Void> rolled = CompletableFuture.completedFuture(null);
			for (WorkerSlot old : List.copyOf(this.roster.active())) {
				rolled = rolled.thenCompose((replaced) -> replace(old));
			}
			return rolled;
		});
	}

	/** One change at a time: each starts once the one before has ended, however it ended. */
	private CompletableFuture<Void> after(Function<Object, CompletableFuture<Void>> change) {
		CompletableFuture<Void> next = this.changes.handle((done, ex) -> null).thenCompose(change);
		this.changes = next;
		return next;
	}

	private synchronized CompletableFuture<Void> changeSize(int num) {
		if (num < 1) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("a stage needs at least 1 worker"));
		}
		if (!this.stage.env().isEmpty() && num > this.stage.env().size()) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("stage '" + this.stage.name()
					+ "' sets env for each of its " + this.stage.env().size() + " workers (mosec.stages."
					+ this.stage.name() + ".env): it cannot have more"));
		}
		List<WorkerSlot> active = this.roster.active();
		List<CompletableFuture<Void>> started = new ArrayList<>();
		for (int id = active.size() + 1; id <= num; id++) {
			WorkerSlot slot = this.roster.add(id);
			this.supervisor.launch(slot);
			started.add(slot.ready);
		}
		// The highest ids leave first, so that ids stay 1..num (and env and GPU pinning with them).
		List<WorkerSlot> leaving = new ArrayList<>(active.subList(Math.min(num, active.size()), active.size()));
		leaving.forEach(this.roster::retire);
		this.desired = num;
		logger.info("Stage '" + this.stage.name() + "' resized to " + num + " worker(s)");
		return withinStartupTimeout(CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)));
	}

	/** Starts a replacement of a worker and, once it is ready, retires the worker. */
	private synchronized CompletableFuture<Void> replace(WorkerSlot old) {
		if (old.retired) {
			return CompletableFuture.completedFuture(null);
		}
		WorkerSlot replacement = this.roster.add(old.id);
		this.supervisor.launch(replacement);
		return withinStartupTimeout(replacement.ready).whenComplete((ready, ex) -> {
			// A replacement that is not ready in time goes; the worker it was to replace stays.
			this.roster.retire((ex == null) ? old : replacement);
			if (ex == null) {
				logger.info("Stage '" + this.stage.name() + "' worker " + old.id + " replaced");
			}
		});
	}

	private CompletableFuture<Void> withinStartupTimeout(CompletableFuture<Void> ready) {
		return ready.copy()
			.orTimeout(this.startupTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture((ex instanceof TimeoutException)
					? new WorkerStartupException("Stage '" + this.stage.name() + "' has a new worker that was not ready "
							+ "after " + this.startupTimeout + " (mosec.worker.startup-timeout)", null)
					: ex));
	}

	/** Stops in order: the archive training, new connections, then the workers. */
	@Override
	public void close() {
		this.commands.close();
		this.acceptor.close();
		this.supervisor.stop(this.shutdownTimeout);
	}

}
