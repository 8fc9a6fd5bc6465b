package io.mosec.spring.task;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One inference request on its way through the stages of its route.
 * <p>
 * It completes exactly once: by its last stage, by a failure, by its deadline, or by the
 * client going away. Whichever comes first wins; a completed task still queued for a stage is
 * skipped and never reaches {@code forward}.
 */
public final class Task {

	private final int id;

	private final RouteDefinition route;

	private final PayloadFormat requestFormat;

	private final PayloadFormat responseFormat;

	private final Executor answerer;

	private final AtomicBoolean done = new AtomicBoolean();

	private final Sinks.One<TaskResult> result = Sinks.one();

	/**
	 * A streaming route's events, in the order the worker sent them; null otherwise. Events come
	 * from a worker connection's reader, the end from whoever completes the task (a client's
	 * event loop, a deadline): {@link #emission} orders them. Reactor's serialized sink would make
	 * the loser busy-wait (on an event loop) and, past its deadline, throw: the end was lost and
	 * the worker never told that its client had gone.
	 */
	private final Sinks.Many<byte[]> events;

	private final Object emission = new Object();

	/** Tells the worker that runs this task's stream that nobody listens any more. */
	private final AtomicReference<Runnable> abandoned = new AtomicReference<>();

	private volatile byte[] payload;

	private volatile int stageIndex;

	private volatile long queuedNanos;

	/** The request's trace, opaque here (a tracer's context); null when untraced. */
	private volatile Object trace;

	/**
	 * Creates a task.
	 * @param id its id, unique among the tasks in flight
	 * @param route its route
	 * @param body the request body
	 * @param requestFormat the body's format
	 * @param responseFormat the response's format
	 * @param answerer where the answer is handed over: the request's own I/O thread, so that the
	 * response is written where it is cheapest and the worker's thread is free at once
	 */
	public Task(int id, RouteDefinition route, byte[] body, PayloadFormat requestFormat, PayloadFormat responseFormat,
			Executor answerer) {
		this.answerer = answerer;
		this.id = id;
		this.route = route;
		this.payload = body;
		this.requestFormat = requestFormat;
		this.responseFormat = responseFormat;
		this.events = route.streaming() ? Sinks.unsafe().many().unicast().onBackpressureBuffer() : null;
	}

	/**
	 * Joins the task to its request's trace, before it is submitted.
	 * @param trace the trace context, or {@code null}
	 */
	public void traced(Object trace) {
		this.trace = trace;
	}

	/**
	 * The request's trace.
	 * @return its context, or {@code null} when the request is not traced
	 */
	public Object trace() {
		return this.trace;
	}

	public int id() {
		return this.id;
	}

	public RouteDefinition route() {
		return this.route;
	}

	/**
	 * Notes when the task joined its current stage's queue.
	 * @param nanos the time, from {@link System#nanoTime()}
	 */
	public void queued(long nanos) {
		this.queuedNanos = nanos;
	}

	/**
	 * When the task joined its current stage's queue.
	 * @return the time, from {@link System#nanoTime()}
	 */
	public long queuedNanos() {
		return this.queuedNanos;
	}

	/**
	 * The bytes for the current stage: the request body at ingress, the previous stage's
	 * msgpack output after it.
	 * @return the payload
	 */
	public byte[] payload() {
		return this.payload;
	}

	/**
	 * The stage the task is queued for or running in.
	 * @return the stage
	 */
	public StageDefinition stage() {
		return this.route.stages().get(this.stageIndex);
	}

	/**
	 * Whether the current stage is the route's last.
	 * @return true at egress
	 */
	public boolean atEgress() {
		return this.stageIndex == this.route.stages().size() - 1;
	}

	/**
	 * The frame state bits telling the current stage how to decode and encode this task.
	 * @return the state bits
	 */
	public int state() {
		int state = 0;
		if (this.stageIndex == 0) {
			state |= Flags.INGRESS;
			if (this.requestFormat == PayloadFormat.MSGPACK) {
				state |= Flags.MSGPACK_IN;
			}
		}
		if (atEgress()) {
			state |= Flags.EGRESS;
			if (this.responseFormat == PayloadFormat.MSGPACK) {
				state |= Flags.MSGPACK_OUT;
			}
		}
		// Between two Python stages the payload is pickle, as in Mosec; next to a JVM stage, msgpack.
		List<StageDefinition> stages = this.route.stages();
		if (stage().python() != null) {
			if (this.stageIndex > 0 && stages.get(this.stageIndex - 1).python() != null) {
				state |= Flags.PICKLE_IN;
			}
			if (!atEgress() && stages.get(this.stageIndex + 1).python() != null) {
				state |= Flags.PICKLE_OUT;
			}
		}
		return state;
	}

	/**
	 * Moves the task to its next stage with the output of the current one.
	 * @param output the current stage's output
	 */
	public void advance(byte[] output) {
		this.payload = output;
		this.stageIndex++;
	}

	/**
	 * Completes the task, unless it is complete already.
	 * @param outcome how it ended
	 * @return whether this call completed it
	 */
	public boolean complete(TaskResult outcome) {
		if (!this.done.compareAndSet(false, true)) {
			return false;
		}
		Runnable hook = this.abandoned.getAndSet(null);
		try {
			// Only the caller that won the flag emits, so the emission cannot race: fail fast if it ever does.
			this.result.emitValue(outcome, Sinks.EmitFailureHandler.FAIL_FAST);
			if (this.events != null) {
				// Reentrant: a client whose write fails while an event is delivered ends here on that thread.
				synchronized (this.emission) {
					this.events.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
				}
			}
		}
		finally {
			if (hook != null) {
				hook.run();
			}
		}
		return true;
	}

	/**
	 * Passes on one event of a streaming task, unless the task has completed.
	 * @param data the event's data
	 */
	public void event(byte[] data) {
		if (this.events != null && !isDone()) {
			synchronized (this.emission) {
				this.events.emitNext(data, Sinks.EmitFailureHandler.FAIL_FAST);
			}
		}
	}

	/**
	 * A streaming task's events; completes when the task does, whatever its outcome.
	 * @return the events
	 * @throws IllegalStateException if the task's route does not stream
	 */
	public Flux<byte[]> events() {
		if (this.events == null) {
			throw new IllegalStateException("Route " + this.route.path() + " does not stream");
		}
		return this.events.asFlux();
	}

	/**
	 * Sets what to do if the task completes before its stage answers it (its client went away
	 * or its deadline passed), or clears it with {@code null} once the stage has answered.
	 * @param hook runs at most once, at once if the task has completed already
	 */
	public void whenAbandoned(Runnable hook) {
		this.abandoned.set(hook);
		if (hook != null && isDone()) {
			Runnable pending = this.abandoned.getAndSet(null);
			if (pending != null) {
				pending.run();
			}
		}
	}

	/**
	 * Completes the task on its answerer's thread.
	 * @param outcome how it ended
	 */
	public void answer(TaskResult outcome) {
		this.answerer.execute(() -> complete(outcome));
	}

	/**
	 * Whether the task has completed (answered, failed, timed out or abandoned).
	 * @return true once completed
	 */
	public boolean isDone() {
		return this.done.get();
	}

	/**
	 * The outcome, once the task completes.
	 * @return the outcome
	 */
	public Mono<TaskResult> result() {
		return this.result.asMono();
	}

}
