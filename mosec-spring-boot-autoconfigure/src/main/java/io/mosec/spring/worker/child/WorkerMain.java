package io.mosec.spring.worker.child;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.util.ClassUtils;

/**
 * Starts a worker from the application's configuration classes, for a server whose own main
 * class cannot be started again (a test JVM). A server started from its main class or fat jar
 * re-launches that instead, with the same internal arguments.
 */
public final class WorkerMain {

	/** {@code worker} in a worker process; absent (or {@code server}) in the server. */
	public static final String ROLE_PROPERTY = "mosec.internal.role";

	/** The stage a worker serves. */
	public static final String STAGE_PROPERTY = "mosec.internal.stage";

	/** The worker's id, 1 to num. */
	public static final String WORKER_ID_PROPERTY = "mosec.internal.worker-id";

	/** The stage's Unix domain socket. */
	public static final String SOCKET_PROPERTY = "mosec.internal.socket";

	/** The server's pid: a worker exits when it dies. */
	public static final String PARENT_PID_PROPERTY = "mosec.internal.parent-pid";

	/** {@code true} in a worker that warms up and exits, to write its class data archive. */
	public static final String TRAINING_PROPERTY = "mosec.internal.training";

	/** The configuration classes to start, comma-separated. */
	public static final String SOURCES_PROPERTY = "mosec.internal.sources";

	private WorkerMain() {
	}

	public static void main(String[] args) throws ClassNotFoundException {
		String prefix = "--" + SOURCES_PROPERTY + "=";
		List<Class<?>> sources = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith(prefix)) {
				for (String name : arg.substring(prefix.length()).split(",")) {
					sources.add(ClassUtils.forName(name, WorkerMain.class.getClassLoader()));
				}
			}
		}
		if (sources.isEmpty()) {
			throw new IllegalArgumentException("A worker needs " + prefix + "<configuration classes>");
		}
		SpringApplication.run(sources.toArray(Class<?>[]::new), args);
	}

}
