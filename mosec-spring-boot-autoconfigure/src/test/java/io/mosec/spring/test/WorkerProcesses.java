package io.mosec.spring.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.mosec.spring.worker.child.WorkerMain;

/**
 * The worker processes of a server JVM that a test started. A server may also run a training
 * worker for a while (it writes the class data archive and exits): it serves nothing, so it is
 * not one of them.
 */
public final class WorkerProcesses {

	private static final String TRAINING = "--" + WorkerMain.TRAINING_PROPERTY + "=true";

	private WorkerProcesses() {
	}

	/**
	 * The serving worker processes of {@code server}.
	 * @param server the server's process
	 * @return its workers, training workers left out
	 */
	public static List<ProcessHandle> servingWorkersOf(ProcessHandle server) {
		return server.descendants().filter((process) -> !isTraining(process)).toList();
	}

	/**
	 * The worker cache settings of the test run, for a server JVM a test starts: the build's
	 * own (the surefire configuration sets them), so every server of the run shares one cache.
	 * @return the arguments that set them, or none
	 */
	public static List<String> cacheArguments() {
		List<String> arguments = new ArrayList<>();
		for (String property : List.of("mosec.worker.cache.dir", "mosec.worker.cache.class-data-sharing")) {
			String value = System.getProperty(property);
			if (value != null) {
				arguments.add("--" + property + "=" + value);
			}
		}
		return arguments;
	}

	/**
	 * Whether {@code process} is a training worker.
	 * @param process a process
	 * @return whether it was started to train a class data archive
	 */
	public static boolean isTraining(ProcessHandle process) {
		return commandLine(process).contains(TRAINING);
	}

	/**
	 * The command line of a live process, from /proc: {@code ProcessHandle.Info} gives none for
	 * one as long as a worker's (its classpath runs to many kilobytes).
	 * @param process a process
	 * @return its command and arguments; empty once it has gone
	 */
	public static List<String> commandLine(ProcessHandle process) {
		try {
			String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
			return line.isEmpty() ? List.of() : Arrays.asList(line.split("\0"));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

}
