package io.mosec.spring.pipeline;

import io.mosec.spring.stage.StageDefinition;

/**
 * Told what the pipeline does, for metrics. Called on hot paths: keep it cheap.
 */
public interface PipelineListener {

	/** Listens to nothing. */
	PipelineListener NONE = new PipelineListener() {
	};

	/**
	 * A worker answered a batch.
	 * @param stage the stage
	 * @param workerId the worker
	 * @param size the number of tasks in the batch
	 * @param batchNanos from the batch's first task joining the queue to the batch's hand-over
	 * @param forwardNanos from hand-over to reply
	 */
	default void batchAnswered(StageDefinition stage, int workerId, int size, long batchNanos, long forwardNanos) {
	}

	/**
	 * A request was answered, whatever its status.
	 * @param endpoint the route's path
	 * @param status the HTTP status
	 * @param nanos from admission (or arrival, when it was not admitted) to answer
	 */
	default void requestAnswered(String endpoint, int status, long nanos) {
	}

}
