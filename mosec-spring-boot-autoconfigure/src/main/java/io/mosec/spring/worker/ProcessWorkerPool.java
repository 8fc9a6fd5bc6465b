package io.mosec.spring.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.protocol.FrameCodec;
import io.mosec.spring.protocol.MalformedFrameException;
import io.mosec.spring.stage.StageDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs a stage in {@code num} worker processes, each a re-launch of this application, connected
 * over the stage's Unix domain socket with one batch in flight at a time.
 * <p>
 * A worker connects once it has warmed up, so a connection means ready. The first worker starts
 * alone and the others once it is ready. A worker that exits is
 * restarted with exponential back-off, and the batch it held fails at once. A {@code forward}
 * that outlives the stage timeout costs the worker its process: a thread cannot be stopped
 * safely, a process can.
 */
public final class ProcessWorkerPool implements WorkerPool {

	private static final Log logger = LogFactory.getLog(ProcessWorkerPool.class);

	private static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);

	private static final Duration LONGEST_RESTART_DELAY = Duration.ofSeconds(30);

	private static final Duration STABLE_UPTIME = Duration.ofMinutes(1);

	private static final int LINES_KEPT = 30;

	/** A worker says hello as soon as it connects: anything slower is not one of ours. */
	private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

	private final StageDefinition stage;

	private final Path socket;

	private final WorkerLauncher launcher;

	private final Duration startupTimeout;

	private final Duration shutdownTimeout;

	private final int maxItemBytes;

	private final StageTimer timer;

	private final ClassDataArchive classData;

	private final ArchiveTrainer trainer;

	private final IdleWorkers<Connection> idle = new IdleWorkers<>();

	private final Supervised[] workers;

	private final ScheduledExecutorService supervisor;

	private final ExecutorService handshakes;

	private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

	private final LongAdder restarts = new LongAdder();

	private volatile ServerSocketChannel server;

	private volatile boolean closing;

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
		this.socket = socket;
		this.launcher = launcher;
		this.classData = launcher.classDataArchive(stage);
		this.trainer = new ArchiveTrainer(stage, launcher, this.classData, socket);
		this.startupTimeout = startupTimeout;
		this.shutdownTimeout = shutdownTimeout;
		this.maxItemBytes = maxItemBytes;
		this.workers = new Supervised[stage.num()];
		for (int i = 0; i < this.workers.length; i++) {
			this.workers[i] = new Supervised(i + 1);
		}
		this.supervisor = Executors.newSingleThreadScheduledExecutor(
				daemonThreads("mosec-" + stage.name() + "-supervisor-"));
		this.handshakes = Executors.newCachedThreadPool(daemonThreads("mosec-" + stage.name() + "-hello-"));
	}

	@Override
	public StageDefinition stage() {
		return this.stage;
	}

	@Override
	public CompletableFuture<Void> start() {
		try {
			Files.deleteIfExists(this.socket);
			ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			server.bind(UnixDomainSocketAddress.of(this.socket));
			this.server = server;
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(new WorkerStartupException(
					"Stage '" + this.stage.name() + "' cannot listen on " + this.socket + ": " + ex.getMessage(), ex));
		}
		Thread acceptor = daemonThreads("mosec-" + this.stage.name() + "-acceptor-").newThread(this::acceptWorkers);
		acceptor.start();
		// The first worker alone; the others once it is ready (register): the port opens when every
		// stage has one ready worker, and on a few cores that comes sooner when fewer JVMs start at once.
		launch(this.workers[0]);
		return this.firstReady.orTimeout(this.startupTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture((ex instanceof TimeoutException)
					? new WorkerStartupException("Stage '" + this.stage.name() + "' has no ready worker after "
							+ this.startupTimeout + " (mosec.worker.startup-timeout)" + lastLinesOf(this.workers[0]),
							null)
					: ex));
	}

	@Override
	public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
		return this.idle.acquire()
			.flatMap((connection) -> Exchanges.run(this.stage, this.timer, connection.worker.id,
					() -> connection.exchange(batch, events),
					(ex) -> {
						if (ex == null && !connection.broken) {
							this.idle.release(connection);
						}
						else {
							// The process is gone or its connection cannot be trusted: the exit handler replaces it.
							connection.kill();
						}
					}, connection::kill));
	}

	@Override
	public PoolStatus status() {
		int live = 0;
		int ready = 0;
		for (Supervised worker : this.workers) {
			Process process = worker.process;
			if (process != null && process.isAlive()) {
				live++;
				if (worker.connection != null) {
					ready++;
				}
			}
		}
		return new PoolStatus(this.workers.length, live, ready, this.restarts.sum());
	}

	/**
	 * The process ids of the ready workers (warmed up, connected), in worker id order; -1 for a
	 * worker that is not ready: a live process may still be starting its stage.
	 * @return the pids
	 */
	public long[] pids() {
		long[] pids = new long[this.workers.length];
		for (int i = 0; i < pids.length; i++) {
			Supervised worker = this.workers[i];
			Process process = worker.process;
			Connection connection = worker.connection;
			boolean ready = process != null && process.isAlive() && connection != null && connection.process == process;
			pids[i] = ready ? process.pid() : -1;
		}
		return pids;
	}

	private void launch(Supervised worker) {
		if (this.closing) {
			return;
		}
		ProcessBuilder builder = this.launcher.processBuilder(this.stage, worker.id, this.socket,
				this.classData.optionsForNextWorker());
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			worker.remember("cannot start: " + ex.getMessage());
			this.firstReady.completeExceptionally(new WorkerStartupException("Stage '" + this.stage.name()
					+ "' worker " + worker.id + " cannot start: " + ex.getMessage(), ex));
			return;
		}
		worker.process = process;
		worker.startedNanos = System.nanoTime();
		logger.info("Stage '" + this.stage.name() + "' worker " + worker.id + " starting (pid " + process.pid() + ")");
		Thread pump = daemonThreads("mosec-" + this.stage.name() + "-" + worker.id + "-log-")
			.newThread(() -> pumpLog(worker, process));
		pump.start();
		process.onExit().thenRunAsync(() -> exited(worker, process, pump), this.supervisor);
	}

	/** Worker output reaches the server's log line by line, tagged with stage and worker id. */
	private void pumpLog(Supervised worker, Process process) {
		Log log = LogFactory.getLog("io.mosec.spring.worker." + this.stage.name());
		String tag = "[" + this.stage.name() + "-" + worker.id + "] ";
		WorkerLogFields.setter(this.stage.name(), worker.id).run();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				worker.remember(line);
				log.info(tag + line);
			}
		}
		catch (IOException ex) {
			// The process is gone; its exit is handled elsewhere.
		}
	}

	private void exited(Supervised worker, Process process, Thread pump) {
		try {
			pump.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Connection connection = worker.connection;
		if (connection != null && connection.process == process) {
			worker.connection = null;
			this.idle.remove(connection);
			connection.close();
		}
		if (this.closing) {
			return;
		}
		String how = "Stage '" + this.stage.name() + "' worker " + worker.id + " (pid " + process.pid()
				+ ") exited with code " + process.exitValue();
		if (!this.firstReady.isDone()) {
			this.firstReady.completeExceptionally(
					new WorkerStartupException(how + " before it was ready" + lastLinesOf(worker), null));
			return;
		}
		Duration uptime = Duration.ofNanos(System.nanoTime() - worker.startedNanos);
		Duration delay = (uptime.compareTo(STABLE_UPTIME) >= 0) ? FIRST_RESTART_DELAY : worker.nextDelay;
		worker.nextDelay = min(delay.multipliedBy(2), LONGEST_RESTART_DELAY);
		logger.warn(how + "; restarting it in " + delay.toMillis() + " ms");
		this.restarts.increment();
		this.supervisor.schedule(() -> launch(worker), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void acceptWorkers() {
		while (!this.closing) {
			SocketChannel channel;
			try {
				channel = this.server.accept();
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("Stage '" + this.stage.name() + "' failed to accept a worker connection", ex);
				continue;
			}
			// Off this thread, with a deadline: a peer that connects and says nothing (Mosec's own
			// Python coordinator sends no hello) must not keep the stage's other workers out.
			try {
				this.handshakes.execute(() -> handshake(channel));
			}
			catch (RejectedExecutionException ex) {
				closeQuietly(channel);
			}
		}
	}

	private void handshake(SocketChannel channel) {
		AtomicBoolean late = new AtomicBoolean();
		ScheduledFuture<?> deadline;
		try {
			deadline = this.supervisor.schedule(() -> {
				late.set(true);
				closeQuietly(channel);
			}, HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The pool is closing.
			closeQuietly(channel);
			return;
		}
		try {
			register(channel);
			deadline.cancel(false);
		}
		catch (IOException | RuntimeException ex) {
			deadline.cancel(false);
			logger.warn("Stage '" + this.stage.name() + "' refused a worker connection: "
					+ (late.get() ? "it sent no hello within " + HELLO_TIMEOUT.toMillis() + " ms" : ex.getMessage()));
			closeQuietly(channel);
		}
	}

	private void register(SocketChannel socketChannel) throws IOException {
		FrameChannel channel = new FrameChannel(socketChannel, this.stage.maxBatchSize(), this.maxItemBytes);
		Frame hello = channel.read();
		if (hello == null || hello.flag() != Flags.HELLO || hello.items().size() != 1) {
			throw new MalformedFrameException("expected a hello frame");
		}
		int id = hello.items().get(0).id();
		long pid = Long.parseLong(new String(hello.items().get(0).payload(), StandardCharsets.US_ASCII));
		Supervised worker = (id >= 1 && id <= this.workers.length) ? this.workers[id - 1] : null;
		Process process = (worker != null) ? worker.process : null;
		if (process == null || process.pid() != pid) {
			throw new IllegalStateException("worker " + id + " (pid " + pid + ") is not one of ours");
		}
		Connection connection = new Connection(worker, process, channel);
		worker.connection = connection;
		if (!process.isAlive()) {
			connection.close();
			return;
		}
		logger.info("Stage '" + this.stage.name() + "' worker " + id + " ready (pid " + pid + ", "
				+ (System.nanoTime() - worker.startedNanos) / 1_000_000 + " ms after launch)");
		boolean first = this.firstReady.complete(null);
		this.idle.release(connection);
		if (first) {
			for (int i = 1; i < this.workers.length; i++) {
				launch(this.workers[i]);
			}
		}
		if (status().ready() == this.workers.length) {
			this.trainer.startIfNeeded();
		}
	}

	@Override
	public void close() {
		this.closing = true;
		this.trainer.close();
		closeQuietly(this.server);
		for (Supervised worker : this.workers) {
			Connection connection = worker.connection;
			if (connection != null) {
				// A worker exits by itself when its socket closes.
				connection.close();
			}
			else if (worker.process != null) {
				// Still warming up, with nothing in flight: a context in the middle of its refresh
				// would not even notice SIGTERM before the shutdown timeout.
				worker.process.destroyForcibly();
			}
		}
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		for (Supervised worker : this.workers) {
			Process process = worker.process;
			if (process == null) {
				continue;
			}
			try {
				long left = Math.max(0, deadline - System.nanoTime());
				if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
					logger.warn("Stage '" + this.stage.name() + "' worker " + worker.id + " did not exit within "
							+ this.shutdownTimeout + " (mosec.worker.shutdown-timeout); killing it");
					process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
		this.supervisor.shutdownNow();
		this.handshakes.shutdownNow();
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + this.socket, ex);
		}
	}

	private String lastLinesOf(Supervised worker) {
		String lines = worker.lastLines();
		return lines.isEmpty() ? "; it logged nothing" : "; its last lines:\n" + lines;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Nothing left to do with it.
		}
	}

	/** One worker slot: its id and env stay, its process is replaced when it dies. */
	private static final class Supervised {

		private final int id;

		private final Deque<String> lastLines = new ArrayDeque<>();

		private volatile Process process;

		private volatile Connection connection;

		private volatile long startedNanos;

		private volatile Duration nextDelay = FIRST_RESTART_DELAY;

		Supervised(int id) {
			this.id = id;
		}

		synchronized void remember(String line) {
			String trimmed = line.stripLeading();
			if (trimmed.startsWith("at ") || trimmed.startsWith("... ")) {
				// Stack frames would crowd out the lines that say what went wrong.
				return;
			}
			if (this.lastLines.size() == LINES_KEPT) {
				this.lastLines.removeFirst();
			}
			this.lastLines.addLast(line);
		}

		synchronized String lastLines() {
			return String.join("\n", this.lastLines);
		}

	}

	/**
	 * The connection to one live worker process, with one batch in flight at a time. A batch is
	 * written by whichever thread dispatches it (large ones by the connection's I/O thread, so
	 * that an event loop never waits on a socket), and a reader thread that always waits on the
	 * socket completes it: one thread hand-off per batch fewer than writing and reading on an
	 * I/O thread.
	 */
	private final class Connection {

		/** Frames up to this size go out on the dispatching thread; the socket buffer takes them at once. */
		private static final int DIRECT_WRITE_BYTES = 64 * 1024;

		private final Supervised worker;

		private final Process process;

		private final FrameChannel channel;

		private final ExecutorService io;

		private volatile boolean broken;

		private volatile CompletableFuture<Frame> reply;

		private volatile BatchEvents events = BatchEvents.NONE;

		Connection(Supervised worker, Process process, FrameChannel channel) {
			this.worker = worker;
			this.process = process;
			this.channel = channel;
			String prefix = "mosec-" + ProcessWorkerPool.this.stage.name() + "-" + worker.id;
			this.io = Executors.newSingleThreadExecutor(daemonThreads(prefix + "-io-"));
			daemonThreads(prefix + "-reader-").newThread(this::readReplies).start();
		}

		/**
		 * Sends a batch; the reply (after a streaming stage's events) completes the future.
		 */
		CompletableFuture<Frame> exchange(Frame batch, BatchEvents events) {
			CompletableFuture<Frame> reply = new CompletableFuture<>();
			this.events = events;
			this.reply = reply;
			if (this.broken) {
				reply.completeExceptionally(new WorkerExitedException(describe()));
				return reply;
			}
			if (FrameCodec.encodedSize(batch) <= DIRECT_WRITE_BYTES) {
				send(batch, reply, events);
			}
			else {
				this.io.execute(() -> send(batch, reply, events));
			}
			return reply;
		}

		private void send(Frame batch, CompletableFuture<Frame> reply, BatchEvents events) {
			try {
				write(batch);
				if (ProcessWorkerPool.this.stage.streaming()) {
					events.started(this::cancel);
				}
			}
			catch (IOException ex) {
				this.broken = true;
				reply.completeExceptionally(new WorkerExitedException(describe(), ex));
			}
		}

		private void readReplies() {
			Throwable failure = null;
			try {
				Frame frame;
				while ((frame = this.channel.read()) != null) {
					if (frame.flag() == Flags.STREAM_EVENT) {
						BatchEvents events = this.events;
						for (Frame.Item event : frame.items()) {
							events.event(event.id(), event.payload());
						}
						continue;
					}
					CompletableFuture<Frame> reply = this.reply;
					this.reply = null;
					if (reply == null) {
						throw new MalformedFrameException("a reply without a batch");
					}
					// Completing runs the batch's continuation here, which may dispatch the next batch.
					reply.complete(frame);
				}
			}
			catch (IOException | MalformedFrameException ex) {
				failure = ex;
			}
			this.broken = true;
			CompletableFuture<Frame> reply = this.reply;
			if (reply != null) {
				reply.completeExceptionally((failure != null) ? new WorkerExitedException(describe(), failure)
						: new WorkerExitedException(describe()));
			}
		}

		/** Tells the worker a task's client has gone; its stream ends at its next event. */
		private void cancel(int taskId) {
			try {
				write(new Frame(Flags.CANCEL, List.of(new Frame.Item(taskId, 0, new byte[0]))));
			}
			catch (IOException ex) {
				// The worker is gone: its batch fails anyway.
			}
		}

		// Batches go out from dispatching threads, cancellations from wherever the client went away.
		private synchronized void write(Frame frame) throws IOException {
			this.channel.write(frame);
		}

		private String describe() {
			return "worker exited (stage '" + ProcessWorkerPool.this.stage.name() + "' worker " + this.worker.id + ")";
		}

		void kill() {
			this.broken = true;
			this.process.destroyForcibly();
		}

		void close() {
			this.broken = true;
			closeQuietly(this.channel);
			this.io.shutdown();
		}

	}

}
