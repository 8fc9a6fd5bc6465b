package io.mosec.spring.worker.child;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event channel of a streaming batch whose tasks the server can cancel: a cancelled task's
 * stream reads as closed at its next event. Used over a worker's socket and in thread mode alike.
 */
public final class CancellableEvents implements EventChannel {

	/** Where the events go. */
	@FunctionalInterface
	public interface Sender {

		/**
		 * Sends one event of a task.
		 * @param taskId the task
		 * @param data the event's data
		 * @throws IOException if the server cannot be reached
		 */
		void send(int taskId, byte[] data) throws IOException;

	}

	private final Sender sender;

	private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();

	public CancellableEvents(Sender sender) {
		this.sender = sender;
	}

	/**
	 * Cancels a task: its client has gone.
	 * @param taskId the task
	 */
	public void cancel(int taskId) {
		this.cancelled.add(taskId);
	}

	/**
	 * Forgets every cancellation, for the next batch: task ids are reused.
	 */
	public void reset() {
		this.cancelled.clear();
	}

	@Override
	public void send(int taskId, byte[] data) throws IOException {
		this.sender.send(taskId, data);
	}

	@Override
	public boolean isOpen(int taskId) {
		return !this.cancelled.contains(taskId);
	}

}
