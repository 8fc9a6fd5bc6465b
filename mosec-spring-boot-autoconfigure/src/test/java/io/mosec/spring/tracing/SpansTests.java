package io.mosec.spring.tracing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.pipeline.PipelineTracing;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.task.Task;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.worker.child.ForwardTracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskSpans} and {@link WorkerSpans} on a real tracer (Brave, in memory): the server's
 * spans of a batch and the worker's under them, through the context the batch carries.
 */
class SpansTests {

	final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

	final Tracing tracing = Tracing.newBuilder().addSpanHandler(new SpanHandler() {
		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			SpansTests.this.finished.add(span);
			return true;
		}
	}).build();

	final Tracer tracer = new BraveTracer(this.tracing.tracer(), new BraveCurrentTraceContext(this.tracing.currentTraceContext()));

	final PayloadCodec codec = new PayloadCodec();

	final TaskSpans server = new TaskSpans(this.tracer, new BravePropagator(this.tracing), this.codec);

	final WorkerSpans worker = new WorkerSpans(this.tracer, new BravePropagator(this.tracing), this.codec);

	final StageDefinition stage = new StageDefinition("embed", "embed", Object.class, 0, 1, 8, Duration.ofMillis(1),
			Duration.ofSeconds(10), StageKind.BATCH_WORKER, Object.class, Object.class, List.of(), List.of());

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	@Test
	void givesEachTracedTaskOfABatchAQueueAndAForwardSpanUnderItsRequest() {
		Span request = this.tracer.nextSpan().name("http post").start();
		Task traced = task(1, request);
		Task untraced = task(2, null);
		traced.queued(System.nanoTime() - 3_000_000);
		PipelineTracing.BatchTrace batch = this.server.batch(this.stage, List.of(traced, untraced));
		Frame contexts = batch.around(BatchEvents.NONE).handedOver(2);
		assertThat(contexts.flag()).isEqualTo(Flags.TRACE);
		assertThat(contexts.items()).extracting(Frame.Item::id).containsExactly(1);
		batch.answered(new Frame(Flags.OK, List.of()));
		MutableSpan queue = finished("mosec.queue");
		MutableSpan forward = finished("mosec.forward");
		assertThat(queue.parentId()).isEqualTo(request.context().spanId());
		assertThat(forward.parentId()).isEqualTo(request.context().spanId());
		assertThat(queue.tags()).containsEntry("mosec.stage", "embed");
		assertThat(forward.tags()).containsEntry("mosec.stage", "embed").containsEntry("mosec.worker", "2")
			.containsEntry("mosec.batch.size", "2");
		assertThat(queue.finishTimestamp() - queue.startTimestamp()).as("queued, in µs").isBetween(3_000L, 1_000_000L);
		assertThat(forward.startTimestamp()).isGreaterThanOrEqualTo(queue.finishTimestamp());
	}

	@Test
	void costsNothingForABatchWithoutATracedTask() {
		assertThat(this.server.batch(this.stage, List.of(task(1, null)))).isSameAs(PipelineTracing.BatchTrace.NONE);
		assertThat(this.server.traceOf(reactor.util.context.Context.empty())).isNull();
	}

	@Test
	void endsTheForwardSpanOnceWithTheFailureWhenTheBatchFails() {
		PipelineTracing.BatchTrace batch = this.server.batch(this.stage, List.of(task(1, this.tracer.nextSpan().start())));
		batch.around(BatchEvents.NONE).handedOver(1);
		batch.failed(new IllegalStateException("worker exited"));
		batch.answered(new Frame(Flags.OK, List.of()));
		assertThat(this.finished).filteredOn((span) -> span.name().equals("mosec.forward")).singleElement()
			.satisfies((span) -> assertThat(span.error()).hasMessage("worker exited"));
	}

	@Test
	void opensTheWorkersSpanUnderTheForwardSpanAndMakesItCurrentForTheStagesOwn() {
		PipelineTracing.BatchTrace batch = this.server.batch(this.stage, List.of(task(1, this.tracer.nextSpan().start())));
		Frame contexts = batch.around(BatchEvents.NONE).handedOver(1);
		try (ForwardTracing.Scope scope = this.worker.open("embed", 1, List.of(contexts.items().get(0).payload()), 3)) {
			this.tracer.nextSpan().name("stage.own").start().end();
		}
		batch.answered(new Frame(Flags.OK, List.of()));
		MutableSpan workerSpan = finished("mosec.worker");
		assertThat(workerSpan.parentId()).isEqualTo(finished("mosec.forward").id());
		assertThat(workerSpan.tags()).containsEntry("mosec.batch.size", "3").containsEntry("mosec.worker", "1");
		assertThat(finished("stage.own").parentId()).isEqualTo(workerSpan.id());
		assertThat(this.tracer.currentSpan()).isNull();
	}

	@Test
	void opensNothingForAContextItCannotRead() {
		byte[] garbage = "not a context".getBytes(StandardCharsets.UTF_8);
		assertThat(this.worker.open("embed", 1, List.of(garbage), 1)).isSameAs(ForwardTracing.Scope.NONE);
	}

	private MutableSpan finished(String name) {
		return this.finished.stream().filter((span) -> name.equals(span.name())).findFirst().orElseThrow();
	}

	private Task task(int id, Span trace) {
		Task task = new Task(id, new RouteDefinition("/embed", List.of(this.stage)), new byte[] { '1' }, PayloadFormat.JSON,
				PayloadFormat.JSON, Runnable::run);
		task.traced((trace != null) ? trace.context() : null);
		return task;
	}

}
