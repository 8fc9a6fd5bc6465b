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
 * A worker that is busy or dead is simply not here.
 *
 * @param <W> the worker type
 */
final class IdleWorkers<W> {

	private final Deque<W> idle = new ArrayDeque<>();

	private final Deque<MonoSink<W>> waiting = new ArrayDeque<>();

	/**
	 * Takes an idle worker, waiting for one if there is none.
	 * @return the worker
	 */
	@SuppressWarnings("unchecked")
	Mono<W> acquire() {
		Mono<W> handOver = Mono.create((sink) -> {
			W worker;
			synchronized (this) {
				worker = this.idle.pollFirst();
				if (worker == null) {
					this.waiting.addLast(sink);
					sink.onCancel(() -> forget(sink));
					return;
				}
			}
			sink.success(worker);
		});
		// A waiter cancelled just as a worker was handed to it discards the worker: take it back.
		return handOver.doOnDiscard(Object.class, (worker) -> release((W) worker));
	}

	/**
	 * Offers a worker that is ready for its next batch.
	 * @param worker the worker
	 */
	void release(W worker) {
		MonoSink<W> next;
		synchronized (this) {
			next = this.waiting.pollFirst();
			if (next == null) {
				this.idle.addLast(worker);
				return;
			}
		}
		next.success(worker);
	}

	/**
	 * Drops a worker that will not take batches any more.
	 * @param worker the worker
	 */
	synchronized void remove(W worker) {
		this.idle.remove(worker);
	}

	private synchronized void forget(MonoSink<W> sink) {
		this.waiting.remove(sink);
	}

}
