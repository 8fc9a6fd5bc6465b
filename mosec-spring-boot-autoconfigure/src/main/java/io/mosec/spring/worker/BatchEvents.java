package io.mosec.spring.worker;

import java.util.function.IntConsumer;

import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;

/**
 * What a batch's tasks take part in while a worker has it: the trace contexts that go with it,
 * and what a streaming stage's worker reports before its reply.
 */
public interface BatchEvents {

	/** For stages that do not stream. */
	BatchEvents NONE = new BatchEvents() {
	};

	/**
	 * The batch is being handed to a worker, which is about to get it.
	 * @param workerId the worker
	 * @return the {@link Flags#TRACE} frame to send just before the batch, or {@code null} when
	 * none of its tasks is traced
	 */
	default Frame handedOver(int workerId) {
		return null;
	}

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
