package io.mosec.spring.stage;

/**
 * Which stage contract a bean implements.
 */
public enum StageKind {

	/** {@code Worker}: one input, one output. */
	WORKER,

	/** {@code BatchWorker}: a batch of inputs, one output each. */
	BATCH_WORKER,

	/** {@code StreamWorker}: one input, a stream of events. */
	STREAM_WORKER

}
