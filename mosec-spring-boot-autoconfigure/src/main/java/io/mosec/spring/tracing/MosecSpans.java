package io.mosec.spring.tracing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadFormat;

/**
 * The names of the spans and tags, and the trace context on the wire: the propagation fields
 * ({@code traceparent} with W3C propagation, Boot's default) as a msgpack map.
 */
final class MosecSpans {

	/** A task waiting in a stage's queue, from joining it to the hand-over to a worker. */
	static final String QUEUE = "mosec.queue";

	/** A task's batch with a worker, from the hand-over to the reply, as the server saw it. */
	static final String FORWARD = "mosec.forward";

	/** A task's batch in the worker, around the stage's {@code forward}. */
	static final String WORKER = "mosec.worker";

	static final String STAGE_TAG = "mosec.stage";

	static final String WORKER_TAG = "mosec.worker";

	static final String BATCH_SIZE_TAG = "mosec.batch.size";

	private MosecSpans() {
	}

	static byte[] encode(Propagator propagator, TraceContext context, PayloadCodec codec) {
		Map<String, String> carrier = new LinkedHashMap<>();
		propagator.inject(context, carrier, Map::put);
		return codec.encode(carrier, PayloadFormat.MSGPACK);
	}

	@SuppressWarnings("unchecked")
	static Map<String, String> decode(byte[] context, PayloadCodec codec) {
		return (Map<String, String>) codec.decode(context, PayloadFormat.MSGPACK, Map.class);
	}

	/** Now since the epoch, in microseconds: the timestamps of the spans made after the fact. */
	static long epochMicros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

}
