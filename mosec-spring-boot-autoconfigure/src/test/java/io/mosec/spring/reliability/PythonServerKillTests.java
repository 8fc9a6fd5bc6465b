package io.mosec.spring.reliability;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mosec.testing.Python;
import io.mosec.testing.ServerJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server of Python stages killed with {@code kill -9} under load leaves no Python process
 * behind: each watches its server and exits when it is gone.
 */
class PythonServerKillTests {

	@TempDir
	Path temp;

	@Test
	void leavesNoPythonWorkerAliveWhenKilledUnderLoad() throws Exception {
		String python = Python.withModules("msgpack");
		int port = ServerJvm.freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ScriptServer.class.getName(), "--server.port=" + port, "--mosec.python.interpreter=" + python,
				"--mosec.python.server=../mosec-server/examples/echo.py", "--mosec.stages.Inference_2.num=2"));
		try (ServerJvm server = ServerJvm.start("the script server", command, this.temp.resolve("server.log"),
				Duration.ofSeconds(90), ServerJvm.answers(port, "/inference", "{\"time\": 0}"));
				Load load = Load.start(URI.create("http://127.0.0.1:" + port + "/inference"), 8, 0,
						() -> "{\"time\": 0.005}", () -> Duration.ofSeconds(10))) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(200) > 100);
			List<ProcessHandle> workers = server.descendants();
			assertThat(workers).as("Preprocess, 2 x Inference, Postprocess").hasSizeGreaterThanOrEqualTo(4);
			assertThat(workers).allMatch((worker) -> worker.info().command().orElse("").contains("python"));
			long killed = System.nanoTime();
			server.process().toHandle().destroyForcibly();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
				.until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
			Reliability.figure("kill -9 of a server of Python stages under load", "8 clients, 4 Python workers",
					"every worker gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
							+ " ms after the kill (limit 5 s)");
		}
	}

	/** The starter and nothing else, as mosec-server. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class ScriptServer {

		public static void main(String[] args) {
			SpringApplication.run(ScriptServer.class, args);
		}

	}

}
