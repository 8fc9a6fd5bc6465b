package io.mosec.spring.worker.child;

import java.io.IOException;

/**
 * Where a streaming stage's events leave the worker, as they are sent: to the server over the
 * worker's socket, or straight to the pipeline in thread mode.
 */
public interface EventChannel {

	/** Drops every event (warm-up). */
	EventChannel DISCARD = new EventChannel() {

		@Override
		public void send(int taskId, byte[] data) {
		}

		@Override
		public boolean isOpen(int taskId) {
			return true;
		}

	};

	/**
	 * Sends one event of a task.
	 * @param taskId the task
	 * @param data the event's data
	 * @throws IOException if the server cannot be reached
	 */
	void send(int taskId, byte[] data) throws IOException;

	/**
	 * Whether the task's client is still listening.
	 * @param taskId the task
	 * @return false once the server has cancelled the task
	 */
	boolean isOpen(int taskId);

}
