package io.mosec.spring.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.support.DaemonThreads;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;

/**
 * The stage timeouts of every batch in flight, on one timer wheel.
 * <p>
 * Every batch starts a timeout and almost every one is cancelled a few milliseconds later. A
 * scheduled executor (what {@code CompletableFuture.orTimeout} uses) takes a lock and often
 * wakes its thread for each of them: under load that was a thread wake-up per batch. Netty's
 * wheel, made for exactly this, only queues a timeout or its cancellation and looks at them on
 * its next tick, so a timeout fires up to one tick late.
 */
public final class StageTimer implements Exchanges.Timeouts, AutoCloseable {

	/** How late a stage timeout may fire. */
	static final Duration TICK = Duration.ofMillis(10);

	private final HashedWheelTimer wheel;

	public StageTimer() {
		this.wheel = new HashedWheelTimer(DaemonThreads.named("mosec-stage-timer-"), TICK.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Runs a command on the timer's thread once the delay has passed.
	 * @param command the command
	 * @param delay the delay
	 * @return cancels the command unless it has run
	 */
	@Override
	public Runnable schedule(Runnable command, Duration delay) {
		Timeout timeout = this.wheel.newTimeout((expired) -> command.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
		return timeout::cancel;
	}

	/**
	 * Stops the timer; timeouts not yet fired never will.
	 */
	@Override
	public void close() {
		this.wheel.stop();
	}

}
