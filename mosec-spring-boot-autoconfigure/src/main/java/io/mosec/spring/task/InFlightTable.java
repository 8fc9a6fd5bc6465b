package io.mosec.spring.task;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The requests in flight, and admission: at most {@code capacity} at once, and none before the
 * service is ready or after shutdown has begun.
 */
public final class InFlightTable {

	/**
	 * Why a request was turned away, or that it was not.
	 */
	public enum Admission {

		/** Admitted. */
		ADMITTED,

		/** Warm-up has not finished. */
		STARTING,

		/** Shutdown has begun. */
		SHUTTING_DOWN,

		/** As many requests as the capacity are in flight. */
		OVER_CAPACITY

	}

	private enum State {

		STARTING, ACCEPTING, CLOSED

	}

	private final int capacity;

	private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();

	private final AtomicInteger count = new AtomicInteger();

	private final AtomicInteger ids = new AtomicInteger();

	private final Object drained = new Object();

	private volatile State state = State.STARTING;

	public InFlightTable(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * Starts admitting requests (warm-up is done).
	 */
	public void open() {
		this.state = State.ACCEPTING;
	}

	/**
	 * Stops admitting requests (shutdown has begun); those in flight go on.
	 */
	public void close() {
		this.state = State.CLOSED;
	}

	/**
	 * Why a request would be turned away now.
	 * @return {@link Admission#ADMITTED} if it would not
	 */
	public Admission admission() {
		return switch (this.state) {
			case STARTING -> Admission.STARTING;
			case CLOSED -> Admission.SHUTTING_DOWN;
			case ACCEPTING -> (this.count.get() >= this.capacity) ? Admission.OVER_CAPACITY : Admission.ADMITTED;
		};
	}

	/**
	 * Admits a request if there is room.
	 * @param factory makes the task from its id
	 * @return the admitted task, or {@code null} when the table is full or not accepting
	 */
	public Task admit(IntFunction<Task> factory) {
		if (this.state != State.ACCEPTING) {
			return null;
		}
		if (this.count.incrementAndGet() > this.capacity) {
			this.count.decrementAndGet();
			return null;
		}
		Task task = factory.apply(this.ids.incrementAndGet());
		this.tasks.put(task.id(), task);
		return task;
	}

	/**
	 * Removes a request that has been answered or abandoned.
	 * @param task the task
	 */
	public void remove(Task task) {
		if (this.tasks.remove(task.id(), task) && this.count.decrementAndGet() == 0 && this.state == State.CLOSED) {
			synchronized (this.drained) {
				this.drained.notifyAll();
			}
		}
	}

	/**
	 * The number of requests in flight.
	 * @return the count
	 */
	public int size() {
		return this.count.get();
	}

	/**
	 * Waits until no request is in flight, or the time is up.
	 * @param timeout the longest wait
	 * @return whether the table drained
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitDrained(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drained) {
			while (this.count.get() > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.drained.wait(Math.max(1, left / 1_000_000));
			}
		}
		return true;
	}

}
