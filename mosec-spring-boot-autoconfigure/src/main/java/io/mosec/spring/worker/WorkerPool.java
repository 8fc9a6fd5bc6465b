package io.mosec.spring.worker;

import java.util.concurrent.CompletableFuture;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import reactor.core.publisher.Mono;

/**
 * The workers of one stage, each with one batch in flight at a time: the seam between the
 * batching pipeline and wherever the stage runs (threads of this JVM, or worker processes).
 */
public interface WorkerPool extends AutoCloseable {

	/**
	 * The stage this pool serves.
	 * @return the stage
	 */
	StageDefinition stage();

	/**
	 * Starts every worker.
	 * @return completes once at least one worker has warmed up and is ready; fails with a
	 * {@link WorkerStartupException} if none can be
	 */
	CompletableFuture<Void> start();

	/**
	 * Hands a batch to an idle worker (waiting for one if all are busy).
	 * @param batch the batch
	 * @return the reply and who gave it; an error {@link StageTimeoutException} when
	 * {@code forward} outlives the stage timeout, or another error when the worker failed as a
	 * whole
	 */
	default Mono<WorkerReply> dispatch(Frame batch) {
		return dispatch(batch, BatchEvents.NONE);
	}

	/**
	 * Hands a batch to an idle worker (waiting for one if all are busy), reporting a streaming
	 * stage's events as they arrive.
	 * @param batch the batch
	 * @param events receives the events of the batch's tasks, before the reply
	 * @return the reply, as {@link #dispatch(Frame)}
	 */
	Mono<WorkerReply> dispatch(Frame batch, BatchEvents events);

	/**
	 * What the workers are doing now.
	 * @return the status
	 */
	PoolStatus status();

	/**
	 * Grows or shrinks the pool while it serves. New workers warm up before they take batches; a
	 * worker that leaves finishes the batch it holds.
	 * @param num the number of workers, at least 1
	 * @return completes once the pool has {@code num} workers and the new ones are ready; fails
	 * with an {@link UnsupportedOperationException} where the workers cannot be changed
	 */
	default CompletableFuture<Void> resize(int num) {
		return CompletableFuture.failedFuture(new UnsupportedOperationException(
				"stage '" + stage().name() + "' runs in threads of the server (mosec.worker.mode=thread): "
						+ "resizing and restarting a stage take process mode"));
	}

	/**
	 * Replaces every worker, one at a time: each replacement is ready before the worker it
	 * replaces leaves, so the pool never has fewer ready workers than before.
	 * @return completes once every worker has been replaced; fails as {@link #resize} does
	 */
	default CompletableFuture<Void> restart() {
		return resize(stage().num());
	}

	/**
	 * Stops every worker.
	 */
	@Override
	void close();

}
