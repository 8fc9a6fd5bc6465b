package io.mosec.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class ServerJvmTests {

	@TempDir
	Path temp;

	@Test
	void waitsUntilTheServerAnswersAndEndsItAndItsChildren() throws Exception {
		int port = ServerJvm.freePort();
		ServerJvm server = ServerJvm.start("echo", command(port), this.temp.resolve("echo.log"), Duration.ofSeconds(60),
				ServerJvm.answers(port, "/", "{}"));
		List<ProcessHandle> children = server.descendants();
		assertThat(children).hasSize(1).allMatch(ProcessHandle::isAlive);
		assertThat(ServerJvm.post(port, "/", "{}", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

		server.close();

		await().atMost(Duration.ofSeconds(10)).until(() -> !server.process().isAlive());
		await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
	}

	@Test
	void saysWhatAServerThatExitsDuringStartupLogged() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ServerJvm.start("failing", command(1, "fail"), this.temp.resolve("failing.log"),
					Duration.ofSeconds(60), () -> false))
			.withMessageContaining("failing exited with code 2 during startup")
			.withMessageContaining("cannot start: told to fail");
	}

	@Test
	void killsAServerThatIsNotReadyInTime() throws Exception {
		int port = ServerJvm.freePort();
		List<ProcessHandle> before = ProcessHandle.current().children().toList();
		assertThatIllegalStateException()
			.isThrownBy(() -> ServerJvm.start("slow", command(port), this.temp.resolve("slow.log"), Duration.ofMillis(100),
					() -> false))
			.withMessageContaining("slow was not ready within PT0.1S");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.current().children().filter((child) -> !before.contains(child))
				.noneMatch(ProcessHandle::isAlive));
	}

	private static List<String> command(int port, String... extra) {
		List<String> command = new java.util.ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), EchoServer.class.getName(), Integer.toString(port)));
		command.addAll(List.of(extra));
		return command;
	}

}
