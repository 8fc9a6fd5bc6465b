package io.mosec.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, started as a user starts it: {@code java -jar}.
 */
class SampleApplicationIT {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<ProcessHandle> started = new ArrayList<>();

	@TempDir
	Path temp;

	@AfterEach
	void killEverythingStarted() {
		for (ProcessHandle process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	@Test
	void servesFromTheFatJarWithWorkersRelaunchedFromItsExtractedCopy() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar"));
		Path cache = this.temp.resolve("cache");
		int port = freePort();
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar.toString(), "--server.port=" + port, "--mosec.worker.cache.dir=" + cache)
			.redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("server.log").toFile())
			.start();
		this.started.add(server.toHandle());

		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> embed(port).statusCode() == 200);
		HttpResponse<String> response = embed(port);
		assertThat(response.body()).contains("\"prompt_tokens\":7");

		List<ProcessHandle> children = server.toHandle().children().toList();
		this.started.addAll(children);
		// Classes read from nested jars cost a worker a third more CPU and cannot be archived: the
		// server extracted the jar once (Spring Boot's own layout) and relaunches itself from that.
		Path extracted;
		try (Stream<Path> apps = Files.list(cache.resolve("apps"))) {
			extracted = apps.filter(Files::isDirectory).map((app) -> app.resolve(jar.getFileName())).findFirst()
				.orElseThrow();
		}
		assertThat(extracted).isRegularFile();
		List<String> workers = children.stream().map(SampleApplicationIT::commandLine)
			.filter((command) -> !command.contains("--mosec.internal.training=true"))
			.toList();
		assertThat(workers).hasSize(3).allSatisfy((command) -> assertThat(command).contains("-jar " + extracted)
			.contains("--mosec.internal.role=worker"));

		server.destroy();
		assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server exited on SIGTERM").isTrue();
		assertThat(children).noneMatch(ProcessHandle::isAlive);
	}

	/** From /proc: {@code ProcessHandle.Info} leaves out the arguments of a long command line. */
	private static String commandLine(ProcessHandle process) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
		}
		catch (IOException ex) {
			return "";
		}
	}

	private HttpResponse<String> embed(int port) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/embeddings"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"Hello, batching world\"}"))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
