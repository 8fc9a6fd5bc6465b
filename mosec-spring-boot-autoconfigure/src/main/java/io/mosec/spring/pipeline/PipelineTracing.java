package io.mosec.spring.pipeline;

import java.util.List;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.task.Task;
import io.mosec.spring.worker.BatchEvents;
import reactor.util.context.ContextView;

/**
 * Traces what the pipeline does with the tasks of traced requests: for each stage, how long a
 * task waited in the queue and how long its batch's {@code forward} took. Without a tracer it
 * is {@link #NONE} and costs nothing.
 */
public interface PipelineTracing {

	/** No tracer. */
	PipelineTracing NONE = new PipelineTracing() {

		@Override
		public Object traceOf(ContextView request) {
			return null;
		}

		@Override
		public BatchTrace batch(StageDefinition stage, List<Task> tasks) {
			return BatchTrace.NONE;
		}

	};

	/**
	 * The trace a request's task joins.
	 * @param request the request's Reactor context, where the HTTP server observation is
	 * @return the trace context, or {@code null} when the request is not traced
	 */
	Object traceOf(ContextView request);

	/**
	 * The spans of a batch, for those of its tasks that are traced.
	 * @param stage the stage
	 * @param tasks the batch's tasks
	 * @return the batch's trace, {@link BatchTrace#NONE} when none of its tasks is traced
	 */
	BatchTrace batch(StageDefinition stage, List<Task> tasks);

	/** One batch's spans: they start when a worker takes it and end with its reply. */
	interface BatchTrace {

		/** Nothing traced. */
		BatchTrace NONE = new BatchTrace() {

			@Override
			public BatchEvents around(BatchEvents events) {
				return events;
			}

			@Override
			public void answered(Frame reply) {
			}

			@Override
			public void failed(Throwable ex) {
			}

		};

		/**
		 * The batch's events, and the trace contexts to send when a worker takes it.
		 * @param events the batch's own events
		 * @return events that also hand the trace contexts over
		 */
		BatchEvents around(BatchEvents events);

		/**
		 * The worker answered.
		 * @param reply its reply
		 */
		void answered(Frame reply);

		/**
		 * The batch failed: its worker exited, it timed out or the stage stopped.
		 * @param ex why
		 */
		void failed(Throwable ex);

	}

}
