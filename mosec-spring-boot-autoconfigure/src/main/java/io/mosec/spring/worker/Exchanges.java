package io.mosec.spring.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import reactor.core.publisher.Mono;

/**
 * One batch on one worker, bounded by the stage timeout: shared by the thread and process pools.
 */
final class Exchanges {

	/** Where a batch's stage timeout runs: {@link StageTimer} in a pool, a virtual clock in a test. */
	@FunctionalInterface
	interface Timeouts {

		/**
		 * Runs a command once the delay has passed.
		 * @param command the command
		 * @param delay the delay
		 * @return cancels the command unless it has run
		 */
		Runnable schedule(Runnable command, Duration delay);

	}

	private Exchanges() {
	}

	/**
	 * Runs a blocking exchange on the worker's own thread.
	 * @param stage the stage (for its timeout)
	 * @param timer where the stage timeout runs
	 * @param workerId the worker
	 * @param exchange the blocking call that answers the batch
	 * @param executor the worker's thread
	 * @param finished called when the call returns or fails, even long after a timeout
	 * @param timedOut called when the stage timeout passes first
	 * @return the reply, or a {@link StageTimeoutException}
	 */
	static Mono<WorkerReply> run(StageDefinition stage, Timeouts timer, int workerId, Supplier<Frame> exchange,
			Executor executor, Consumer<Throwable> finished, Runnable timedOut) {
		return run(stage, timer, workerId, () -> CompletableFuture.supplyAsync(exchange, executor), finished, timedOut);
	}

	/**
	 * Runs an exchange that answers asynchronously.
	 * @param stage the stage (for its timeout)
	 * @param timer where the stage timeout runs
	 * @param workerId the worker
	 * @param exchange starts the exchange and returns its reply to come
	 * @param finished called when the reply arrives or the exchange fails, even long after a timeout
	 * @param timedOut called when the stage timeout passes first
	 * @return the reply, or a {@link StageTimeoutException}
	 */
	static Mono<WorkerReply> run(StageDefinition stage, Timeouts timer, int workerId,
			Supplier<CompletableFuture<Frame>> exchange, Consumer<Throwable> finished, Runnable timedOut) {
		long started = System.nanoTime();
		CompletableFuture<WorkerReply> call = exchange.get()
			.thenApply((reply) -> new WorkerReply(workerId, reply, System.nanoTime() - started));
		// The caller waits on a copy: when the timeout wins, the call's late outcome goes nowhere.
		CompletableFuture<WorkerReply> answer = call.copy();
		Runnable cancelTimeout = timer.schedule(() -> {
			if (answer.completeExceptionally(new StageTimeoutException(
					"stage '" + stage.name() + "' exceeded its timeout of " + stage.timeout()))) {
				timedOut.run();
			}
		}, stage.timeout());
		call.whenComplete((reply, ex) -> {
			cancelTimeout.run();
			finished.accept(ex);
		});
		return Mono.fromFuture(answer);
	}

}
