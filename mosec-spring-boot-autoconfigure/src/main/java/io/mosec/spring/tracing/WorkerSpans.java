package io.mosec.spring.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.worker.child.ForwardTracing;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The worker's spans: {@code mosec.worker} around each call of {@code forward}, one under each
 * traced task's {@code mosec.forward} span, the first current while {@code forward} runs. A
 * {@code BatchWorker}'s call serves a whole batch: the spans the stage opens in it join the
 * trace of the batch's first traced task.
 */
public final class WorkerSpans implements ForwardTracing {

	private static final Log logger = LogFactory.getLog(WorkerSpans.class);

	private final Tracer tracer;

	private final Propagator propagator;

	private final PayloadCodec codec;

	/**
	 * Creates the spans.
	 * @param tracer the tracer
	 * @param propagator reads the contexts the server sent
	 * @param codec decodes them
	 */
	public WorkerSpans(Tracer tracer, Propagator propagator, PayloadCodec codec) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.codec = codec;
	}

	@Override
	public Scope open(String stage, int workerId, List<byte[]> contexts, int batchSize) {
		List<Span> spans = new ArrayList<>(contexts.size());
		for (byte[] context : contexts) {
			Map<String, String> carrier;
			try {
				carrier = MosecSpans.decode(context, this.codec);
			}
			catch (RuntimeException ex) {
				logger.debug("A trace context from the server could not be read", ex);
				continue;
			}
			spans.add(this.propagator.extract(carrier, (fields, key) -> fields.get(key))
				.name(MosecSpans.WORKER)
				.tag(MosecSpans.STAGE_TAG, stage)
				.tag(MosecSpans.WORKER_TAG, Integer.toString(workerId))
				.tag(MosecSpans.BATCH_SIZE_TAG, Integer.toString(batchSize))
				.start());
		}
		if (spans.isEmpty()) {
			return Scope.NONE;
		}
		Tracer.SpanInScope scope = this.tracer.withSpan(spans.get(0));
		return () -> {
			scope.close();
			spans.forEach(Span::end);
		};
	}

}
