package io.mosec.spring.worker;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import io.mosec.spring.protocol.FrameCodec;
import io.mosec.spring.protocol.MalformedFrameException;
import io.mosec.spring.support.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The connection to one live worker process, with one batch in flight at a time. A batch is
 * written by whichever thread dispatches it (large ones by the connection's I/O thread, so
 * that an event loop never waits on a socket), and a reader thread that always waits on the
 * socket completes it: one thread hand-off per batch fewer than writing and reading on an
 * I/O thread.
 */
final class WorkerConnection {

	private static final Log logger = LogFactory.getLog(WorkerConnection.class);

	/** Frames up to this size go out on the dispatching thread; the socket buffer takes them at once. */
	private static final int DIRECT_WRITE_BYTES = 64 * 1024;

	private final String stage;

	private final WorkerSlot slot;

	private final boolean streaming;

	private final Process process;

	private final FrameChannel channel;

	private final WorkerMeters.Feed meters;

	private final ExecutorService io;

	private volatile boolean broken;

	private volatile CompletableFuture<Frame> reply;

	private volatile BatchEvents events = BatchEvents.NONE;

	/**
	 * Starts reading the worker's replies.
	 * @param stage the stage name
	 * @param slot the worker's slot
	 * @param streaming whether the stage streams (its batches can be cancelled)
	 * @param process the worker process
	 * @param channel the channel it said hello on
	 * @param meters where the worker's meter snapshots go
	 */
	WorkerConnection(String stage, WorkerSlot slot, boolean streaming, Process process, FrameChannel channel,
			WorkerMeters.Feed meters) {
		this.stage = stage;
		this.slot = slot;
		this.streaming = streaming;
		this.process = process;
		this.channel = channel;
		this.meters = meters;
		String prefix = "mosec-" + stage + "-" + slot.id;
		this.io = Executors.newSingleThreadExecutor(DaemonThreads.named(prefix + "-io-"));
		DaemonThreads.named(prefix + "-reader-").newThread(this::readReplies).start();
	}

	int workerId() {
		return this.slot.id;
	}

	WorkerSlot slot() {
		return this.slot;
	}

	Process process() {
		return this.process;
	}

	/** Whether the connection can no longer be trusted with a batch. */
	boolean isBroken() {
		return this.broken;
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
			write(events.handedOver(this.slot.id), batch);
			if (this.streaming) {
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
				if (frame.flag() == Flags.METRICS) {
					frame.items().forEach((snapshot) -> this.meters.accept(snapshot.payload()));
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
		catch (MalformedFrameException ex) {
			// Garbage, or a reply for no batch: nothing more it sends can be trusted.
			logger.warn("Stage '" + this.stage + "' worker " + this.slot.id + " (pid " + this.process.pid()
					+ ") broke the protocol (" + ex.getMessage() + "); it is replaced");
			failure = ex;
		}
		catch (IOException ex) {
			failure = ex;
		}
		this.broken = true;
		this.meters.close();
		CompletableFuture<Frame> reply = this.reply;
		if (reply != null) {
			reply.completeExceptionally((failure != null) ? new WorkerExitedException(describe(), failure)
					: new WorkerExitedException(describe()));
		}
	}

	/**
	 * Tells the worker a task's client has gone; its stream ends at its next event. Written from
	 * this connection's I/O thread: the caller is often an event loop, which must not wait for the
	 * write lock.
	 */
	private void cancel(int taskId) {
		Frame cancel = new Frame(Flags.CANCEL, List.of(new Frame.Item(taskId, 0, new byte[0])));
		try {
			this.io.execute(() -> {
				try {
					write(null, cancel);
				}
				catch (IOException ex) {
					// The worker is gone: its batch fails anyway.
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// The connection is closed: the worker stops with it.
		}
	}

	// Batches go out from dispatching threads, cancellations from wherever the client went away.
	private synchronized void write(Frame traces, Frame frame) throws IOException {
		if (traces != null) {
			this.channel.write(traces);
		}
		this.channel.write(frame);
	}

	private String describe() {
		return "worker exited (stage '" + this.stage + "' worker " + this.slot.id + ")";
	}

	/** Ends the process; its supervisor replaces it. */
	void kill() {
		this.broken = true;
		this.process.destroyForcibly();
	}

	/** Closes the socket: a worker exits by itself when it closes. */
	void close() {
		this.broken = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closed either way.
		}
		this.io.shutdown();
	}

}
