package io.mosec.spring.worker;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.test.WorkerProcesses;
import io.mosec.testing.ServerJvm;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server as an operator runs it: its own JVM, started from its main class on an exploded
 * classpath, stopped with a signal.
 */
class ServerProcessTests {

	private final List<ServerJvm> started = new ArrayList<>();

	@TempDir
	Path temp;

	private int port;

	@AfterEach
	void killEverythingStarted() {
		this.started.forEach(ServerJvm::close);
	}

	@Test
	void logsThatItHasStartedOnceAndAnswersEveryAcceptedRequestWhenTerminated() throws Exception {
		Path forwarded = this.temp.resolve("forwarded.txt");
		Path sockets = this.temp.resolve("sockets");
		ServerJvm jvm = startServer("--test.forward-file=" + forwarded, "--mosec.socket-dir=" + sockets);
		Process server = jvm.process();
		assertThat(Files.getPosixFilePermissions(sockets)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		List<ProcessHandle> workers = WorkerProcesses.servingWorkersOf(server.toHandle());
		Path log = this.temp.resolve("server.log");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Files.readAllLines(log).stream().filter((line) -> line.contains(" ready (pid ")).count() == 2);
		// An operator waits for this line: a worker's own would come before the service is up.
		assertThat(Files.readAllLines(log)).filteredOn((line) -> line.contains("Started "))
			.singleElement(as(InstanceOfAssertFactories.STRING))
			.doesNotContain("[echo-");
		List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			accepted.add(send("{\"value\": " + i + ", \"sleep\": 700}"));
		}
		// Both workers are busy and four requests wait in the queue: all six are in flight.
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(forwarded)
				&& Files.readAllLines(forwarded).size() >= 2);

		jvm.descendants();
		server.destroy();

		for (CompletableFuture<HttpResponse<String>> response : accepted) {
			assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("server exited").isTrue();
		assertThat(workers).noneMatch(ProcessHandle::isAlive);
		assertThat(sockets).doesNotExist();
		assertThat(Files.readAllLines(forwarded)).filteredOn((value) -> !value.equals("0"))
			.containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
	}

	@Test
	void restartsAWorkerFromTheClassDataArchiveThatATrainingWorkerWroteAndTheClassesDirectoriesAsJars()
			throws Exception {
		Path cache = this.temp.resolve("cache");
		ServerJvm jvm = startServer("--mosec.worker.cache.dir=" + cache, "--mosec.worker.cache.class-data-sharing=true",
				"--mosec.stages.echo.jvm-options=-Xlog:class+load:file=" + this.temp.resolve("classes-%p.log"));
		Process server = jvm.process();
		List<ProcessHandle> first = jvm.descendants();
		// Once both workers are ready, a training worker warms up, exits, and its JVM writes the archive.
		await().atMost(Duration.ofSeconds(60)).until(() -> archivesIn(cache.resolve("cds")).size() == 1);
		assertThat(archivesIn(cache.resolve("cds"))).singleElement(as(InstanceOfAssertFactories.STRING))
			.matches("[0-9a-f]+-[0-9a-f]+\\.(jsa|aot)");
		ProcessHandle victim = WorkerProcesses.servingWorkersOf(server.toHandle()).get(0);

		victim.destroyForcibly();

		Path log = this.temp.resolve("server.log");
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Files.readAllLines(log).stream().filter((line) -> line.contains(" ready (pid ")).count() == 3);
		List<ProcessHandle> workers = WorkerProcesses.servingWorkersOf(server.toHandle());
		assertThat(workers).hasSize(2).doesNotContain(victim);
		ProcessHandle replacement = workers.stream().filter((worker) -> !first.contains(worker)).findFirst()
			.orElseThrow();
		jvm.descendants();
		// The JDK's own archive holds no class of ours: this one came from the stage's archive.
		assertThat(this.temp.resolve("classes-" + replacement.pid() + ".log")).content()
			.contains("io.mosec.spring.worker.child.WorkerProcess source: shared objects file");
		// The JDK archives classes from jars only: the test classpath's directories came as jars.
		List<String> arguments = WorkerProcesses.commandLine(replacement);
		assertThat(arguments.get(arguments.indexOf("-cp") + 1).split(File.pathSeparator))
			.anyMatch((entry) -> entry.startsWith(cache.resolve("classes").toString()))
			.noneMatch((entry) -> Files.isDirectory(Path.of(entry)));
	}

	private static List<String> archivesIn(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> !name.startsWith(".")).toList();
		}
	}

	private ServerJvm startServer(String... extraArguments) throws Exception {
		this.port = ServerJvm.freePort();
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				// Behaviour, not peak speed: the client compiler starts the server and its workers faster.
				"-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), ProcessStages.Application.class.getName(),
				"--server.port=" + this.port, "--mosec.worker.mode=process", "--mosec.timeout=5s",
				"--mosec.stages.echo.num=2", "--mosec.stages.echo.timeout=4s", "--mosec.routes[0].path=/echo",
				"--mosec.routes[0].stages=echo", "--mosec.worker.shutdown-timeout=5s"));
		if (Stream.of(extraArguments).noneMatch((argument) -> argument.startsWith("--mosec.worker.cache.dir="))) {
			command.addAll(WorkerProcesses.cacheArguments());
		}
		command.addAll(List.of(extraArguments));
		ServerJvm server = ServerJvm.start("the echo server", command, this.temp.resolve("server.log"),
				Duration.ofSeconds(90), ServerJvm.answers(this.port, "/echo", "{\"value\": 0}"));
		this.started.add(server);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> WorkerProcesses.servingWorkersOf(server.process().toHandle()).size() == 2);
		server.descendants();
		return server;
	}

	private CompletableFuture<HttpResponse<String>> send(String body) {
		return new LocalHttp(this.port).postAsync("/echo", body);
	}

}
