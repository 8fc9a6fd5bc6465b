package io.mosec.bench.startup;

import io.mosec.bench.echo.MosecEchoApplication;

import org.springframework.boot.SpringApplication;

/**
 * Starts the echo application the way a test runner does for a {@code @SpringBootTest}: from a
 * main class that is not the application's, with classes directories on the classpath, so the
 * server cannot start its own main class again and its workers start {@code WorkerMain}.
 */
public final class TestRunnerLauncher {

	private TestRunnerLauncher() {
	}

	public static void main(String[] args) {
		SpringApplication.run(MosecEchoApplication.class, args);
	}

}
