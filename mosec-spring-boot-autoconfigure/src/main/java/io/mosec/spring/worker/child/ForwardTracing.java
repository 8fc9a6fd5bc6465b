package io.mosec.spring.worker.child;

import java.util.List;

/**
 * Opens a stage's spans around a call of {@code forward}, each under the trace context of a
 * task the call serves, which came from the server with the batch. The first is current while
 * {@code forward} runs, so that what the stage traces itself (an injected {@code Tracer} or
 * {@code ObservationRegistry}) joins that task's trace.
 */
@FunctionalInterface
public interface ForwardTracing {

	/** No tracing on the classpath, or none configured. */
	ForwardTracing NONE = (stage, workerId, contexts, batchSize) -> Scope.NONE;

	/**
	 * Opens the spans of one call.
	 * @param stage the stage
	 * @param workerId the worker
	 * @param contexts the encoded trace contexts of the traced tasks the call serves, never empty
	 * @param batchSize how many tasks the call serves
	 * @return what ends them
	 */
	Scope open(String stage, int workerId, List<byte[]> contexts, int batchSize);

	/** The spans of one call, current until closed. */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		/** Nothing open. */
		Scope NONE = () -> {
		};

		@Override
		void close();

	}

}
