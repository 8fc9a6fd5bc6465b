package io.mosec.spring.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.pipeline.PipelineTracing;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.task.Task;
import io.mosec.spring.worker.BatchEvents;
import reactor.util.context.ContextView;

/**
 * The server's spans: for each traced task and each stage it goes through, {@code mosec.queue}
 * (joining the stage's queue to the hand-over) and {@code mosec.forward} (the hand-over to the
 * worker's reply), both children of the request's HTTP server span, tagged with the stage, the
 * worker and the batch size.
 * <p>
 * A batch serves several requests, so each of its tasks gets spans of its own in its own trace
 * rather than one batch span linked to many: every trace is whole by itself (Zipkin, for one,
 * does not show links), at the cost of one span per task instead of one per batch. The
 * {@code mosec.forward} span's context is what the worker's spans hang under.
 */
public final class TaskSpans implements PipelineTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	private final PayloadCodec codec;

	/**
	 * Creates the spans.
	 * @param tracer the tracer
	 * @param propagator writes a task's trace context for its worker
	 * @param codec encodes it
	 */
	public TaskSpans(Tracer tracer, Propagator propagator, PayloadCodec codec) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.codec = codec;
	}

	@Override
	public Object traceOf(ContextView request) {
		Observation observation = request.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		TracingObservationHandler.TracingContext tracing = (observation != null)
				? observation.getContextView().get(TracingObservationHandler.TracingContext.class) : null;
		Span span = (tracing != null) ? tracing.getSpan() : null;
		// An unsampled trace goes on too: the worker's spans then stay unsampled, not new traces.
		return (span != null && !span.isNoop()) ? span.context() : null;
	}

	@Override
	public BatchTrace batch(StageDefinition stage, List<Task> tasks) {
		List<Task> traced = new ArrayList<>();
		for (Task task : tasks) {
			if (task.trace() instanceof TraceContext) {
				traced.add(task);
			}
		}
		return traced.isEmpty() ? BatchTrace.NONE : new Batch(stage, traced, tasks.size());
	}

	private final class Batch implements BatchTrace {

		private final StageDefinition stage;

		private final List<Task> traced;

		private final int size;

		private volatile List<Span> forwards = List.of();

		/** A reply and a failure (a timeout, say) may both come: the spans end once. */
		private final AtomicBoolean ended = new AtomicBoolean();

		Batch(StageDefinition stage, List<Task> traced, int size) {
			this.stage = stage;
			this.traced = traced;
			this.size = size;
		}

		@Override
		public BatchEvents around(BatchEvents events) {
			return new BatchEvents() {

				@Override
				public Frame handedOver(int workerId) {
					return Batch.this.handedOver(workerId);
				}

				@Override
				public void started(IntConsumer cancel) {
					events.started(cancel);
				}

				@Override
				public void event(int taskId, byte[] data) {
					events.event(taskId, data);
				}

			};
		}

		/** Each task's queue span ends, its forward span starts; their contexts go to the worker. */
		private Frame handedOver(int workerId) {
			long nanos = System.nanoTime();
			long micros = MosecSpans.epochMicros();
			List<Span> forwards = new ArrayList<>(this.traced.size());
			List<Frame.Item> contexts = new ArrayList<>(this.traced.size());
			for (Task task : this.traced) {
				TraceContext parent = (TraceContext) task.trace();
				long queuedMicros = micros - Math.max(0, nanos - task.queuedNanos()) / 1000;
				TaskSpans.this.tracer.spanBuilder()
					.setParent(parent)
					.name(MosecSpans.QUEUE)
					.tag(MosecSpans.STAGE_TAG, this.stage.name())
					.startTimestamp(queuedMicros, TimeUnit.MICROSECONDS)
					.start()
					.end(micros, TimeUnit.MICROSECONDS);
				Span forward = TaskSpans.this.tracer.spanBuilder()
					.setParent(parent)
					.name(MosecSpans.FORWARD)
					.tag(MosecSpans.STAGE_TAG, this.stage.name())
					.tag(MosecSpans.WORKER_TAG, Integer.toString(workerId))
					.tag(MosecSpans.BATCH_SIZE_TAG, Integer.toString(this.size))
					.startTimestamp(micros, TimeUnit.MICROSECONDS)
					.start();
				forwards.add(forward);
				contexts.add(new Frame.Item(task.id(), 0,
						MosecSpans.encode(TaskSpans.this.propagator, forward.context(), TaskSpans.this.codec)));
			}
			this.forwards = forwards;
			return new Frame(Flags.TRACE, contexts);
		}

		@Override
		public void answered(Frame reply) {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			long micros = MosecSpans.epochMicros();
			this.forwards.forEach((span) -> span.end(micros, TimeUnit.MICROSECONDS));
		}

		@Override
		public void failed(Throwable ex) {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			long micros = MosecSpans.epochMicros();
			this.forwards.forEach((span) -> span.error(ex).end(micros, TimeUnit.MICROSECONDS));
		}

	}

}
