package io.mosec.spring.worker;

import java.util.function.IntConsumer;

/**
 * What a streaming stage's worker reports while it runs a batch, before its reply.
 */
public interface BatchEvents {

	/** For stages that do not stream. */
	BatchEvents NONE = new BatchEvents() {
	};

	/**
	 * The batch is with its worker.
	 * @param cancel tells the worker that a task's client has gone (by task id); callable from
	 * any thread until the reply arrives
	 */
	default void started(IntConsumer cancel) {
	}

	/**
	 * One event of a task, as the worker sent it.
	 * @param taskId the task
	 * @param data the event's data
	 */
	default void event(int taskId, byte[] data) {
	}

}
