package io.mosec.spring.worker.child;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.support.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;

/**
 * Ends a worker process when its server has gone, from the first moment of the worker's
 * application start: a worker (or a training worker) that is still starting its context when
 * the server is killed would otherwise run on until its stage bean exists. The server's pid
 * comes with the worker's arguments; in the server there is none, and nothing is watched.
 * <p>
 * Polled by hand: {@code ProcessHandle.onExit} polls a process that is not our child with a
 * back-off that grows to 5 s, too slow for "no worker outlives the server". A serving worker's
 * socket closing is the usual signal; this covers the rest.
 */
public final class ParentWatch implements SpringApplicationRunListener {

	private static final Log logger = LogFactory.getLog(ParentWatch.class);

	private static final String PREFIX = "--" + WorkerMain.PARENT_PID_PROPERTY + "=";

	/**
	 * Starts watching the server named in {@code args}, if any.
	 * @param application the application being started
	 * @param args its arguments
	 */
	public ParentWatch(SpringApplication application, String[] args) {
		for (String arg : args) {
			if (arg.startsWith(PREFIX)) {
				watch(Long.parseLong(arg.substring(PREFIX.length())));
			}
		}
	}

	private static void watch(long parentPid) {
		Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
		ScheduledExecutorService watch = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.named("mosec-parent-watch-"));
		watch.scheduleWithFixedDelay(() -> {
			if (parent.isEmpty() || !parent.get().isAlive()) {
				logger.warn("The server (pid " + parentPid + ") is gone; this worker exits");
				Runtime.getRuntime().halt(3);
			}
		}, 0, 250, TimeUnit.MILLISECONDS);
	}

}
