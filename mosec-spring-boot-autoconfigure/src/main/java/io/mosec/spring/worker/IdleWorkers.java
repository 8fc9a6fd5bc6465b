package io.mosec.spring.worker;

import java.util.ArrayDeque;
import java.util.Deque;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The idle workers of a pool, handed to batches one at a time.
 * <p>
 * Written by hand rather than with reactor-pool: that library allocates resources on demand,
 * whereas our workers are started and supervised by the pool and offer themselves when ready.
 * A worker that is busy or dead is simply not here. Whoever receives a worker gives it back (the
 * pools do when a batch's exchange ends, {@link Exchanges}).
 * <p>
 * A batch cancelled while its worker is on the way (the pipeline stopping) would lose it:
 * {@code Mono.create} drops a value emitted after a cancel, and tells no discard hook. So each
 * hand-over is recorded before it is emitted, and the cancel handler, which runs only when the
 * value was not delivered, takes the worker back. {@code IdleWorkersTests} races the two. A
 * value delivered after its subscriber was cancelled is the subscriber's: {@code flatMap}, as the
 * pools use, still runs its mapper (and so the exchange that gives the worker back); a plain
 * {@code subscribe(consumer)} would drop it.
 *
 * @param <W> the worker type
 */
final class IdleWorkers<W> {

	private final Deque<W> idle = new ArrayDeque<>();

	private final Deque<Waiter<W>> waiting = new ArrayDeque<>();

	/**
	 * Takes an idle worker, waiting for one if there is none.
	 * @return the worker
	 */
	Mono<W> acquire() {
		return Mono.create((sink) -> {
			Waiter<W> waiter = new Waiter<>(sink);
			W worker;
			synchronized (this) {
				worker = this.idle.pollFirst();
				waiter.worker = worker;
				if (worker == null) {
					this.waiting.addLast(waiter);
				}
			}
			// Before the hand-over: a cancel from now on either finds the worker delivered or takes it back.
			sink.onCancel(() -> cancelled(waiter));
			if (worker != null) {
				sink.success(worker);
			}
		});
	}

	/**
	 * Offers a worker that is ready for its next batch.
	 * @param worker the worker
	 */
	void release(W worker) {
		Waiter<W> next;
		synchronized (this) {
			next = this.waiting.pollFirst();
			if (next == null) {
				this.idle.addLast(worker);
				return;
			}
			next.worker = worker;
		}
		next.sink.success(worker);
	}

	/**
	 * Drops a worker that will not take batches any more.
	 * @param worker the worker
	 * @return whether it was idle (and so holds no batch)
	 */
	synchronized boolean remove(W worker) {
		return this.idle.remove(worker);
	}

	/** A batch went away before its worker reached it: forget it, or take its worker back. */
	private void cancelled(Waiter<W> waiter) {
		W worker;
		synchronized (this) {
			worker = waiter.worker;
			if (worker == null) {
				this.waiting.remove(waiter);
			}
		}
		if (worker != null) {
			release(worker);
		}
	}

	/** A batch waiting for a worker, and the worker handed to it once there is one. */
	private static final class Waiter<W> {

		private final MonoSink<W> sink;

		/** Guarded by the pool's lock. */
		private W worker;

		Waiter(MonoSink<W> sink) {
			this.sink = sink;
		}

	}

}
