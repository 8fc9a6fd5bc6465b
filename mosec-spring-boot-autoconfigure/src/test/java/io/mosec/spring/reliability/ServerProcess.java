package io.mosec.spring.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.test.WorkerProcesses;
import io.mosec.spring.worker.ProcessStages;

import static org.awaitility.Awaitility.await;

/**
 * The echo service of {@link ProcessStages} in a JVM of its own (2 worker processes), as an
 * operator runs it; {@link #close()} kills it and its workers, whatever the test did.
 */
final class ServerProcess implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	static final Duration WORKER_SHUTDOWN = Duration.ofSeconds(5);

	final Process process;

	final int port;

	final List<ProcessHandle> workers;

	private ServerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
			.until(() -> !process.isAlive()
					|| RawHttp.post(port, "/echo", "{\"value\": 0}", Duration.ofSeconds(5)) == 200);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> WorkerProcesses.servingWorkersOf(process.toHandle()).size() == 2);
		this.workers = WorkerProcesses.servingWorkersOf(process.toHandle());
	}

	static ServerProcess start(Path directory, String... extraArguments) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				// Behaviour, not peak speed: the client compiler starts the server and its workers faster.
				"-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), ProcessStages.Application.class.getName(),
				"--server.port=" + port, "--mosec.worker.mode=process", "--mosec.timeout=" + TIMEOUT.toSeconds() + "s",
				"--mosec.stages.echo.num=2", "--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=echo",
				"--mosec.worker.shutdown-timeout=" + WORKER_SHUTDOWN.toSeconds() + "s"));
		command.addAll(WorkerProcesses.cacheArguments());
		command.addAll(List.of(extraArguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve("server.log").toFile())
			.start();
		try {
			return new ServerProcess(process, port);
		}
		catch (RuntimeException | Error ex) {
			kill(process.toHandle());
			throw ex;
		}
	}

	@Override
	public void close() {
		kill(this.process.toHandle());
		this.workers.forEach(ProcessHandle::destroyForcibly);
	}

	private static void kill(ProcessHandle process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
