package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mosec.spring.stage.StageDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes a stage's class data archive once its workers are all ready: a training worker,
 * started like them, warms up and exits, and the JVM writes the archive as it exits. Off the
 * path to readiness, and never one of the stage's workers: no serving worker pays for the
 * archive at its start or its stop.
 */
public final class ArchiveTrainer {

	private static final Log logger = LogFactory.getLog(ArchiveTrainer.class);

	private final StageDefinition stage;

	private final WorkerLauncher launcher;

	private final ClassDataArchive archive;

	private final Path socket;

	private Process process;

	private boolean closed;

	private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);

	public ArchiveTrainer(StageDefinition stage, WorkerLauncher launcher, ClassDataArchive archive, Path socket) {
		this.stage = stage;
		this.launcher = launcher;
		this.archive = archive;
		this.socket = socket;
	}

	/** Starts a training worker, unless the archive is there or another one is writing it. */
	public synchronized void startIfNeeded() {
		if (this.closed || this.process != null) {
			return;
		}
		List<String> options = this.archive.optionsForTraining();
		if (options.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		try {
			// Its lines would read like a second worker's: the server logs what it did instead.
			this.process = this.launcher.trainingProcessBuilder(this.stage, this.socket, options)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			this.archive.workerExited(options, -1);
			logger.warn("Stage '" + this.stage.name() + "' cannot start the worker that writes its class data archive: "
					+ ex.getMessage());
			return;
		}
		Process training = this.process;
		this.published = training.onExit().thenRun(() -> {
			this.archive.workerExited(options, training.exitValue());
			if (this.archive.isPublished()) {
				logger.info("Stage '" + this.stage.name() + "' trained its workers' class data archive in "
						+ (System.nanoTime() - started) / 1_000_000 + " ms; workers started from now on map it");
			}
			else if (!isClosed()) {
				logger.warn("Stage '" + this.stage.name() + "': the worker that writes the class data archive exited "
						+ "with code " + training.exitValue() + "; workers start without an archive");
			}
		});
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	/** Stops a training worker still running; what it wrote is dropped. */
	public void close() {
		CompletableFuture<Void> published;
		synchronized (this) {
			this.closed = true;
			if (this.process != null) {
				this.process.destroyForcibly();
			}
			published = this.published;
		}
		try {
			published.get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Stage '" + this.stage.name() + "' class data archive not published", ex);
		}
	}

}
