package io.mosec.spring.autoconfigure;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.pipeline.PipelineTracing;
import io.mosec.spring.tracing.TaskSpans;
import io.mosec.spring.tracing.WorkerSpans;
import io.mosec.spring.worker.child.ForwardTracing;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Traces across stages and into worker processes, when the application has Micrometer Tracing
 * with a bridge (Brave or OpenTelemetry): the server's spans of each task, and the worker's under
 * them. Without a tracer, nothing is traced and nothing costs.
 */
@AutoConfiguration
@ConditionalOnClass(Tracer.class)
public final class MosecTracingAutoConfiguration {

	/** In the server: the queue and forward spans of each traced task. */
	@Bean
	@ConditionalOnMissingBean
	PipelineTracing mosecPipelineTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			ObjectProvider<PayloadCodec> codec) {
		ActiveTracer active = ActiveTracer.of(tracer, propagator);
		return (active != null) ? new TaskSpans(active.tracer(), active.propagator(), codec.getIfAvailable(PayloadCodec::new))
				: PipelineTracing.NONE;
	}

	/**
	 * In a worker (and a thread-mode stage): the spans around forward, under the server's. The
	 * tracer is made with the worker, before its warm-up: not on the first traced request.
	 */
	@Bean
	@ConditionalOnMissingBean
	ForwardTracing mosecForwardTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			ObjectProvider<PayloadCodec> codec) {
		ActiveTracer active = ActiveTracer.of(tracer, propagator);
		return (active != null) ? new WorkerSpans(active.tracer(), active.propagator(), codec.getIfAvailable(PayloadCodec::new))
				: ForwardTracing.NONE;
	}

	/** A tracer that traces (not Boot's no-op one, with tracing off) and its propagator. */
	private record ActiveTracer(Tracer tracer, Propagator propagator) {

		static ActiveTracer of(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
			Tracer available = tracer.getIfAvailable();
			Propagator propagation = propagator.getIfAvailable();
			return (available != null && available != Tracer.NOOP && propagation != null)
					? new ActiveTracer(available, propagation) : null;
		}

	}

}
