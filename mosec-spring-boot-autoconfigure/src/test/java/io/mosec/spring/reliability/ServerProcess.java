package io.mosec.spring.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.test.WorkerProcesses;
import io.mosec.spring.worker.ProcessStages;
import io.mosec.testing.ServerJvm;

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

	private final ServerJvm server;

	private ServerProcess(ServerJvm server, int port) {
		this.server = server;
		this.process = server.process();
		this.port = port;
		// The port opens with one ready worker per stage; a test about both waits for both.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> WorkerProcesses.servingWorkersOf(this.process.toHandle()).size() == 2);
		this.workers = WorkerProcesses.servingWorkersOf(this.process.toHandle());
		server.descendants();
	}

	static ServerProcess start(Path directory, String... extraArguments) throws IOException, InterruptedException {
		int port = ServerJvm.freePort();
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
		ServerJvm server = ServerJvm.start("the echo server", command, directory.resolve("server.log"),
				Duration.ofSeconds(90), ServerJvm.answers(port, "/echo", "{\"value\": 0}"));
		try {
			return new ServerProcess(server, port);
		}
		catch (RuntimeException | Error ex) {
			server.close();
			throw ex;
		}
	}

	@Override
	public void close() {
		this.server.close();
	}

}
