package io.mosec.spring.worker.child;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.support.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker side of a stage: creates the stage bean (only here, never in the server), warms
 * it up, connects to the stage's socket (a connection means ready), then answers one batch at a
 * time until the socket closes or the server dies, and exits. Twice a second it also sends the
 * meters its stage records, when they changed.
 */
public final class WorkerProcess implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerProcess.class);

	/** How often the stage's meters go to the server: a scrape sees them within a second. */
	static final long METER_PERIOD_MILLIS = 500;

	private final ConfigurableListableBeanFactory beanFactory;

	private final StageRegistry registry;

	private final PayloadCodec codec;

	private final InputValidator validator;

	private final String stageName;

	private final int workerId;

	private final Path socket;

	private final int maxItemBytes;

	private final boolean training;

	private final MeterSnapshots meters;

	private final ForwardTracing tracing;

	private final ScheduledExecutorService meterSender = Executors
		.newSingleThreadScheduledExecutor(DaemonThreads.named("mosec-worker-meters-"));

	private volatile FrameChannel channel;

	private volatile boolean running;

	/**
	 * Creates the worker; {@link ParentWatch} has been watching the server since the JVM started.
	 * @param beanFactory where the stage bean lives
	 * @param registry the stages, resolved as the server resolved them
	 * @param codec the payload codec
	 * @param validator checks each ingress input after decoding
	 * @param stageName the stage to serve
	 * @param workerId this worker's id
	 * @param socket the stage's socket
	 * @param maxItemBytes the largest payload of one task
	 * @param training whether to exit after the warm-up instead of serving: a worker that only
	 * writes its class data archive
	 * @param meters the stage's meters, to send to the server
	 * @param tracing opens the stage's spans under each traced task's
	 */
	public WorkerProcess(ConfigurableListableBeanFactory beanFactory, StageRegistry registry, PayloadCodec codec,
			InputValidator validator, String stageName, int workerId, Path socket, int maxItemBytes,
			boolean training, MeterSnapshots meters, ForwardTracing tracing) {
		this.beanFactory = beanFactory;
		this.registry = registry;
		this.codec = codec;
		this.validator = validator;
		this.stageName = stageName;
		this.workerId = workerId;
		this.socket = socket;
		this.maxItemBytes = maxItemBytes;
		this.training = training;
		this.meters = meters;
		this.tracing = tracing;
	}

	@Override
	public void start() {
		long started = System.nanoTime();
		StageDefinition stage = this.registry.stage(this.stageName);
		if (stage == null) {
			throw new MosecConfigurationException("This worker was started for stage '" + this.stageName
					+ "', which this application does not define");
		}
		StageRunner runner = new StageRunner(stage, this.beanFactory.getBean(stage.beanName()), this.codec,
				this.validator, this.workerId, this.tracing);
		long created = System.nanoTime();
		logger.info("Warming up stage '" + this.stageName + "' (stage bean created in " + (created - started) / 1_000_000
				+ " ms)");
		int examples;
		try {
			examples = runner.warmUp();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Stage '" + this.stageName + "' failed its warm-up", ex);
		}
		long warmed = System.nanoTime();
		if (this.training) {
			logger.info("Warmed up: " + examples + " example(s) in " + (warmed - created) / 1_000_000
					+ " ms; trained, exiting");
			// Not on this thread: exiting runs the shutdown hook, which closes the context this thread is refreshing.
			Thread exit = new Thread(() -> System.exit(0), "mosec-worker-training-done");
			exit.start();
			return;
		}
		try {
			SocketChannel socketChannel = SocketChannel.open(StandardProtocolFamily.UNIX);
			socketChannel.connect(UnixDomainSocketAddress.of(this.socket));
			this.channel = new FrameChannel(socketChannel, stage.maxBatchSize(), this.maxItemBytes);
			byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
			send(new Frame(Flags.HELLO, List.of(new Frame.Item(this.workerId, 0, pid))));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot connect to the server at " + this.socket, ex);
		}
		logger.info("Warmed up: " + examples + " example(s) in " + (warmed - created) / 1_000_000
				+ " ms; connected, ready");
		this.running = true;
		if (this.meters != MeterSnapshots.NONE) {
			this.meterSender.scheduleWithFixedDelay(this::sendMeters, METER_PERIOD_MILLIS, METER_PERIOD_MILLIS,
					TimeUnit.MILLISECONDS);
		}
		Thread serving = new Thread(() -> serve(runner, stage.streaming()), "mosec-worker-" + this.stageName + "-" + this.workerId);
		serving.setDaemon(false);
		serving.start();
	}

	private void serve(StageRunner runner, boolean streaming) {
		int status = 0;
		try {
			if (streaming) {
				serveStreams(runner);
			}
			else {
				Frame frame;
				Frame traces = null;
				while ((frame = this.channel.read()) != null) {
					if (frame.flag() == Flags.TRACE) {
						// The contexts of the batch that follows.
						traces = frame;
						continue;
					}
					send(runner.run(frame, traces, EventChannel.DISCARD));
					traces = null;
				}
			}
		}
		catch (IOException ex) {
			logger.info("The server closed the connection: " + ex.getMessage());
		}
		catch (RuntimeException | Error ex) {
			logger.error("This worker failed and exits", ex);
			status = 1;
		}
		// The socket closed: the server is stopping or gone. Exit, closing the context on the way.
		System.exit(status);
	}

	/**
	 * A streaming stage reads while it runs: the server may cancel a task mid-stream. A reader
	 * thread takes every frame (cancellations at once, batches handed over), this thread runs
	 * batches and writes their events and replies; the channel reads and writes without a
	 * shared lock.
	 */
	private void serveStreams(StageRunner runner) throws IOException {
		BlockingQueue<Optional<TracedBatch>> batches = new LinkedBlockingQueue<>();
		Set<Integer> running = ConcurrentHashMap.newKeySet();
		CancellableEvents events = new CancellableEvents(
				(taskId, data) -> send(new Frame(Flags.STREAM_EVENT, List.of(new Frame.Item(taskId, Flags.OK, data)))));
		Thread reader = new Thread(() -> {
			try {
				Frame frame;
				Frame traces = null;
				while ((frame = this.channel.read()) != null) {
					if (frame.flag() == Flags.TRACE) {
						traces = frame;
					}
					else if (frame.flag() == Flags.CANCEL) {
						// Only tasks of the batch in hand: a late cancel must not stop a later task of the same id.
						frame.items().stream().map(Frame.Item::id).filter(running::contains).forEach(events::cancel);
					}
					else {
						running.clear();
						events.reset();
						frame.items().forEach((item) -> running.add(item.id()));
						batches.add(Optional.of(new TracedBatch(frame, traces)));
						traces = null;
					}
				}
			}
			catch (IOException ex) {
				logger.info("The server closed the connection: " + ex.getMessage());
			}
			batches.add(Optional.empty());
		}, "mosec-worker-" + this.stageName + "-" + this.workerId + "-reader");
		reader.setDaemon(true);
		reader.start();
		try {
			Optional<TracedBatch> batch;
			while ((batch = batches.take()).isPresent()) {
				send(runner.run(batch.get().batch(), batch.get().traces(), events));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Replies, events and meter snapshots leave from different threads; a frame goes out whole. */
	private synchronized void send(Frame frame) throws IOException {
		this.channel.write(frame);
	}

	private void sendMeters() {
		try {
			byte[] snapshot = this.meters.take();
			if (snapshot != null) {
				send(new Frame(Flags.METRICS, List.of(new Frame.Item(this.workerId, 0, snapshot))));
			}
		}
		catch (IOException ex) {
			// The server is gone: the serving thread notices and exits.
		}
		catch (RuntimeException ex) {
			// A meter that cannot be read must not stop the next snapshot, nor the worker.
			logger.warn("Could not send this worker's meters", ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.meterSender.shutdownNow();
		FrameChannel channel = this.channel;
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// Exiting anyway.
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** A batch and the trace contexts that came before it, or {@code null}. */
	private record TracedBatch(Frame batch, Frame traces) {

	}

}
