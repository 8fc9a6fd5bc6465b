package io.mosec.spring.worker;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.protocol.MalformedFrameException;
import io.mosec.spring.support.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A stage's socket: accepts worker connections and reads each one's hello, off the accepting
 * thread and with a deadline, so that a peer that connects and says nothing (Mosec's own Python
 * coordinator sends no hello) keeps no other worker out.
 */
final class WorkerAcceptor implements Closeable {

	private static final Log logger = LogFactory.getLog(WorkerAcceptor.class);

	/** A worker says hello as soon as it connects: anything slower is not one of ours. */
	static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

	/** Takes a connection that said hello; throws to refuse it. */
	@FunctionalInterface
	interface Registration {

		/**
		 * Registers a worker connection.
		 * @param workerId the id the worker says it has
		 * @param pid the process id it says it has
		 * @param channel its connection
		 * @throws IOException if the connection fails
		 * @throws IllegalStateException if it is not one of the pool's workers
		 */
		void register(int workerId, long pid, FrameChannel channel) throws IOException;

	}

	private final String stage;

	private final Path socket;

	private final int maxBatchSize;

	private final int maxItemBytes;

	private final ScheduledExecutorService deadlines;

	private final Registration registration;

	private final ExecutorService handshakes;

	private volatile ServerSocketChannel server;

	/**
	 * Creates the acceptor; nothing listens before {@link #listen()}.
	 * @param stage the stage name
	 * @param socket the socket path
	 * @param maxBatchSize the largest batch a frame may hold
	 * @param maxItemBytes the largest payload of one item
	 * @param deadlines where the hello deadlines run
	 * @param registration takes each connection that said hello
	 */
	WorkerAcceptor(String stage, Path socket, int maxBatchSize, int maxItemBytes, ScheduledExecutorService deadlines,
			Registration registration) {
		this.stage = stage;
		this.socket = socket;
		this.maxBatchSize = maxBatchSize;
		this.maxItemBytes = maxItemBytes;
		this.deadlines = deadlines;
		this.registration = registration;
		this.handshakes = Executors.newCachedThreadPool(DaemonThreads.named("mosec-" + stage + "-hello-"));
	}

	/**
	 * Binds the socket and starts accepting.
	 * @throws IOException if the socket cannot be bound
	 */
	void listen() throws IOException {
		Files.deleteIfExists(this.socket);
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(this.socket));
		this.server = server;
		DaemonThreads.named("mosec-" + this.stage + "-acceptor-").newThread(() -> accept(server)).start();
	}

	private void accept(ServerSocketChannel server) {
		while (server.isOpen()) {
			SocketChannel channel;
			try {
				channel = server.accept();
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("Stage '" + this.stage + "' failed to accept a worker connection", ex);
				continue;
			}
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
			deadline = this.deadlines.schedule(() -> {
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
			FrameChannel frames = new FrameChannel(channel, this.maxBatchSize, this.maxItemBytes);
			Frame hello = frames.read();
			if (hello == null || hello.flag() != Flags.HELLO || hello.items().size() != 1) {
				throw new MalformedFrameException("expected a hello frame");
			}
			Frame.Item item = hello.items().get(0);
			long pid = Long.parseLong(new String(item.payload(), StandardCharsets.US_ASCII));
			deadline.cancel(false);
			this.registration.register(item.id(), pid, frames);
		}
		catch (IOException | RuntimeException ex) {
			deadline.cancel(false);
			// Closing the pool interrupts handshakes in progress: nothing to report then.
			if (this.server != null && this.server.isOpen()) {
				logger.warn("Stage '" + this.stage + "' refused a worker connection: "
						+ (late.get() ? "it sent no hello within " + HELLO_TIMEOUT.toMillis() + " ms"
								: (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName()));
			}
			closeQuietly(channel);
		}
	}

	/** Stops accepting and removes the socket; connections already registered stay. */
	@Override
	public void close() {
		closeQuietly(this.server);
		this.handshakes.shutdownNow();
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + this.socket, ex);
		}
	}

	private static void closeQuietly(Closeable closeable) {
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

}
