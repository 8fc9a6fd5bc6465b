package io.mosec.spring.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.mosec.spring.support.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts a stage's worker processes and keeps them running: a worker that exits is restarted
 * with exponential back-off (reset after a minute of uptime); one that exits before the stage's
 * first worker is ready fails the start instead. Stops them all, within a deadline, at close.
 */
final class WorkerSupervisor {

	private static final Log logger = LogFactory.getLog(WorkerSupervisor.class);

	static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);

	private static final Duration LONGEST_RESTART_DELAY = Duration.ofSeconds(30);

	private static final Duration STABLE_UPTIME = Duration.ofMinutes(1);

	private final String stage;

	private final Supplier<List<WorkerSlot>> slots;

	private final Function<WorkerSlot, ProcessBuilder> commands;

	private final ScheduledExecutorService executor;

	private final CompletableFuture<Void> firstReady;

	private final Predicate<WorkerSlot> exited;

	private final LongAdder restarts = new LongAdder();

	private volatile boolean closing;

	/**
	 * Creates the supervisor; nothing starts before {@link #launch}.
	 * @param stage the stage name
	 * @param slots the stage's worker slots, retiring ones included
	 * @param commands the command of a slot's next process
	 * @param executor where exits are handled and restarts wait
	 * @param firstReady failed by a worker that cannot start, or exits, before it completes
	 * @param exited told of each exit, before any restart, to drop the slot's connection; says
	 * whether to restart it (not a retired one)
	 */
	WorkerSupervisor(String stage, Supplier<List<WorkerSlot>> slots, Function<WorkerSlot, ProcessBuilder> commands,
			ScheduledExecutorService executor, CompletableFuture<Void> firstReady, Predicate<WorkerSlot> exited) {
		this.stage = stage;
		this.slots = slots;
		this.commands = commands;
		this.executor = executor;
		this.firstReady = firstReady;
		this.exited = exited;
	}

	long restarts() {
		return this.restarts.sum();
	}

	/**
	 * Starts a slot's process.
	 * @param slot the slot
	 */
	void launch(WorkerSlot slot) {
		if (this.closing || slot.retired) {
			return;
		}
		Process process;
		try {
			process = this.commands.apply(slot).start();
		}
		catch (IOException ex) {
			slot.log.remember("cannot start: " + ex.getMessage());
			this.firstReady.completeExceptionally(new WorkerStartupException(
					"Stage '" + this.stage + "' worker " + slot.id + " cannot start: " + ex.getMessage(), ex));
			return;
		}
		slot.process = process;
		slot.startedNanos = System.nanoTime();
		logger.info("Stage '" + this.stage + "' worker " + slot.id + " starting (pid " + process.pid() + ")");
		Thread pump = slot.log.follow(process, DaemonThreads.named("mosec-" + this.stage + "-" + slot.id + "-log-"));
		process.onExit().thenRunAsync(() -> exited(slot, process, pump), this.executor);
	}

	private void exited(WorkerSlot slot, Process process, Thread pump) {
		try {
			// The last lines it wrote belong to this exit's report.
			pump.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		boolean restart = this.exited.test(slot);
		if (this.closing || !restart) {
			return;
		}
		String how = "Stage '" + this.stage + "' worker " + slot.id + " (pid " + process.pid() + ") exited with code "
				+ process.exitValue();
		if (!this.firstReady.isDone()) {
			this.firstReady
				.completeExceptionally(new WorkerStartupException(how + " before it was ready" + slot.log.lastLines(), null));
			return;
		}
		Duration uptime = Duration.ofNanos(System.nanoTime() - slot.startedNanos);
		Duration delay = (uptime.compareTo(STABLE_UPTIME) >= 0) ? FIRST_RESTART_DELAY : slot.nextDelay;
		Duration next = delay.multipliedBy(2);
		slot.nextDelay = (next.compareTo(LONGEST_RESTART_DELAY) <= 0) ? next : LONGEST_RESTART_DELAY;
		logger.warn(how + "; restarting it in " + delay.toMillis() + " ms");
		this.restarts.increment();
		this.executor.schedule(() -> launch(slot), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops every worker: a connected one by closing its socket, one still warming up at once;
	 * those that have not exited when the timeout has passed are killed.
	 * @param timeout how long to wait for every worker to exit
	 */
	void stop(Duration timeout) {
		this.closing = true;
		List<WorkerSlot> slots = this.slots.get();
		for (WorkerSlot slot : slots) {
			WorkerConnection connection = slot.connection;
			if (connection != null) {
				// A worker exits by itself when its socket closes.
				connection.close();
			}
			else if (slot.process != null) {
				// Still warming up, with nothing in flight: a context in the middle of its refresh
				// would not even notice SIGTERM before the shutdown timeout.
				slot.process.destroyForcibly();
			}
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		for (WorkerSlot slot : slots) {
			Process process = slot.process;
			if (process == null) {
				continue;
			}
			try {
				long left = Math.max(0, deadline - System.nanoTime());
				if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
					logger.warn("Stage '" + this.stage + "' worker " + slot.id + " did not exit within " + timeout
							+ " (mosec.worker.shutdown-timeout); killing it");
					process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
		this.executor.shutdownNow();
	}

}
