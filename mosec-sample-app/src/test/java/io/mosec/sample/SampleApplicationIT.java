package io.mosec.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.mosec.testing.ServerJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample, started as a user starts it: {@code java -jar}.
 */
class SampleApplicationIT {

	private static final String EMBED = "{\"input\": \"Hello, batching world\"}";

	private final List<ServerJvm> started = new ArrayList<>();

	@TempDir
	Path temp;

	@AfterEach
	void killEverythingStarted() {
		this.started.forEach(ServerJvm::close);
	}

	@Test
	void servesFromTheFatJarWithWorkersRelaunchedFromItsExtractedCopy() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar"));
		Path cache = this.temp.resolve("cache");
		int port = ServerJvm.freePort();
		ServerJvm jvm = ServerJvm.start("the sample", List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-jar", jar.toString(), "--server.port=" + port, "--mosec.worker.cache.dir=" + cache),
				this.temp.resolve("server.log"), Duration.ofSeconds(120), ServerJvm.answers(port, "/v1/embeddings", EMBED));
		this.started.add(jvm);
		Process server = jvm.process();
		HttpResponse<String> response = ServerJvm.post(port, "/v1/embeddings", EMBED, Duration.ofSeconds(10));
		assertThat(response.body()).contains("\"prompt_tokens\":7");

		List<ProcessHandle> children = server.toHandle().children().toList();
		jvm.descendants();
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

		assertThat(jvm.terminate(Duration.ofSeconds(30))).as("server exited on SIGTERM").isTrue();
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

}
