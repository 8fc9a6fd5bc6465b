package io.mosec.spring.worker.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadFactory;

import io.mosec.spring.support.WorkerLogFields;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's output: each line reaches the server's log, tagged with stage and worker id, and
 * the last lines are kept to say why a worker that never became ready died.
 */
public final class WorkerLog {

	private static final int LINES_KEPT = 30;

	private final String stage;

	private final int workerId;

	private final Deque<String> lastLines = new ArrayDeque<>();

	/**
	 * Creates the log of one worker slot; it outlives the slot's processes.
	 * @param stage the stage name
	 * @param workerId the worker id
	 */
	public WorkerLog(String stage, int workerId) {
		this.stage = stage;
		this.workerId = workerId;
	}

	/**
	 * Starts a thread that copies a process's output into the log until it ends.
	 * @param process the worker process, with its error stream redirected to its output
	 * @param threads where the thread comes from
	 * @return the started thread
	 */
	public Thread follow(Process process, ThreadFactory threads) {
		Thread pump = threads.newThread(() -> pump(process));
		pump.start();
		return pump;
	}

	private void pump(Process process) {
		Log log = LogFactory.getLog("io.mosec.spring.worker." + this.stage);
		String tag = "[" + this.stage + "-" + this.workerId + "] ";
		WorkerLogFields.setter(this.stage, this.workerId).run();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				remember(line);
				log.info(tag + line);
			}
		}
		catch (IOException ex) {
			// The process is gone; its exit is handled elsewhere.
		}
	}

	/**
	 * Keeps a line among the last ones, unless it is a stack frame.
	 * @param line the line
	 */
	public synchronized void remember(String line) {
		String trimmed = line.stripLeading();
		if (trimmed.startsWith("at ") || trimmed.startsWith("... ")) {
			// Stack frames would crowd out the lines that say what went wrong.
			return;
		}
		if (this.lastLines.size() == LINES_KEPT) {
			this.lastLines.removeFirst();
		}
		this.lastLines.addLast(line);
	}

	/**
	 * The end of a failure message: the last lines the worker logged.
	 * @return {@code "; its last lines:"} and the lines, or {@code "; it logged nothing"}
	 */
	public synchronized String lastLines() {
		return this.lastLines.isEmpty() ? "; it logged nothing" : "; its last lines:\n" + String.join("\n", this.lastLines);
	}

}
