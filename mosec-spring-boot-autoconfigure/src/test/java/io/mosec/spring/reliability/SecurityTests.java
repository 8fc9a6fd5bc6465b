package io.mosec.spring.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import io.mosec.spring.stream.ServingTest;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.worker.launch.SocketDirectory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker on the network or on the machine can reach by default.
 */
@ServingTest
class SecurityTests {

	@Autowired
	SocketDirectory sockets;

	@LocalServerPort
	int port;

	@Test
	void exposesOnlyHealthInfoAndPrometheusOverHttp() throws Exception {
		LocalHttp http = new LocalHttp(this.port);
		assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
		for (String endpoint : List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "mappings",
				"shutdown", "metrics", "scheduledtasks")) {
			assertThat(http.get("/actuator/" + endpoint).statusCode()).as(endpoint).isEqualTo(404);
		}
	}

	@Test
	void keepsTheWorkerSocketsInADirectoryOnlyItsOwnerCanEnter() throws Exception {
		Path directory = this.sockets.path();
		assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(Files.getOwner(directory).getName()).isEqualTo(System.getProperty("user.name"));
		List<Path> socketFiles;
		try (Stream<Path> files = Files.list(directory)) {
			socketFiles = files.toList();
		}
		assertThat(socketFiles).isNotEmpty();
		if ("root".equals(System.getProperty("user.name"))) {
			// Root can see what another user could do: nobody cannot even reach the sockets.
			for (Path socket : socketFiles) {
				assertThat(runAsNobody("stat", socket.toString())).as("nobody stats " + socket).isNotZero();
			}
			assertThat(runAsNobody("ls", directory.toString())).isNotZero();
			assertThat(runAsNobody("ls", directory.getParent().toString())).as("the control: nobody can list the parent")
				.isZero();
		}
	}

	private static int runAsNobody(String... command) throws IOException, InterruptedException {
		List<String> full = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
				"--clear-groups", "--"));
		full.addAll(List.of(command));
		Process process = new ProcessBuilder(full).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		return process.waitFor();
	}

}
