package io.mosec.spring.pipeline;

import java.time.Duration;

import io.mosec.spring.task.InFlightTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Starts every stage's workers, and warms them up, before the web server opens its port;
 * stops them after the web server has drained.
 * <p>
 * Shutdown begins with the {@link ContextClosedEvent}: from then on new requests get 503, those
 * in flight finish (up to {@code mosec.timeout}), and only then do the workers stop.
 */
public class MosecLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, DisposableBean {

	/**
	 * Before the web server starts, and so after it stops: Boot starts the web server 1024 phases
	 * below its graceful shutdown, this is 1024 below that.
	 */
	public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

	private static final Log logger = LogFactory.getLog(MosecLifecycle.class);

	private final Pipeline pipeline;

	private final InFlightTable inFlight;

	private final Duration drainTimeout;

	private volatile boolean running;

	public MosecLifecycle(Pipeline pipeline, InFlightTable inFlight, Duration drainTimeout) {
		this.pipeline = pipeline;
		this.inFlight = inFlight;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public void start() {
		long started = System.nanoTime();
		this.running = true;
		this.pipeline.start();
		this.inFlight.open();
		if (this.pipeline.size() > 0) {
			logger.info("Mosec is ready: " + this.pipeline.size() + " stage(s) warmed up in "
					+ (System.nanoTime() - started) / 1_000_000 + " ms");
		}
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Refuse new requests as soon as shutdown begins, before the web server drains.
		this.inFlight.close();
	}

	@Override
	public void stop() {
		this.inFlight.close();
		try {
			if (!this.inFlight.awaitDrained(this.drainTimeout)) {
				logger.warn(this.inFlight.size() + " request(s) still in flight after " + this.drainTimeout
						+ "; stopping the workers anyway");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		shutDown();
	}

	@Override
	public void destroy() {
		// Also reached when startup failed half-way: nothing may be left running.
		shutDown();
	}

	private synchronized void shutDown() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.pipeline.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Not pausable: stopping drains the requests and ends the worker processes, a shutdown
	 * that cannot be undone by a restart. A paused context (Spring's test context cache pauses
	 * the contexts it is not using) keeps its workers.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
