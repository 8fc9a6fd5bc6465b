package io.mosec.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
	void servesFromTheFatJarWithWorkersRelaunchedFromTheSameJar() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar"));
		int port = freePort();
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar.toString(), "--server.port=" + port)
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

		List<ProcessHandle> workers = server.toHandle().children().toList();
		this.started.addAll(workers);
		assertThat(workers).hasSize(3).allSatisfy((worker) -> assertThat(worker.info().commandLine())
			.hasValueSatisfying((command) -> assertThat(command).contains("-jar " + jar)
				.contains("--mosec.internal.role=worker")));

		server.destroy();
		assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server exited on SIGTERM").isTrue();
		assertThat(workers).noneMatch(ProcessHandle::isAlive);
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
