package io.mosec.spring.task;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
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

	private final long admittedNanos = System.nanoTime();

	private final Executor answerer;

	private final AtomicBoolean done = new AtomicBoolean();

	private final Sinks.One<TaskResult> result = Sinks.one();

	private volatile byte[] payload;

	private volatile int stageIndex;

	private volatile long queuedNanos;

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
	}

	public int id() {
		return this.id;
	}

	public RouteDefinition route() {
		return this.route;
	}

	public PayloadFormat responseFormat() {
		return this.responseFormat;
	}

	/**
	 * When the task was admitted, from {@link System#nanoTime()}.
	 * @return the admission time
	 */
	public long admittedNanos() {
		return this.admittedNanos;
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
		// Only the caller that won the flag emits, so the emission cannot race: fail fast if it ever does.
		this.result.emitValue(outcome, Sinks.EmitFailureHandler.FAIL_FAST);
		return true;
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
