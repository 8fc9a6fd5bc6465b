package io.mosec.spring.worker;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Startup fails, clearly and without leftovers, when a stage cannot get a ready worker.
 */
class WorkerStartupTests {

	/** Workers of servers that other test classes left running (Spring's context cache) are not this test's. */
	private Set<Long> before;

	@BeforeEach
	void seeWhichProcessesRunBefore() {
		this.before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
	}

	@AfterEach
	void noWorkerOutlivesAFailedStartup() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.current().children().noneMatch((child) -> !this.before.contains(child.pid())));
	}

	@Test
	void failsWithTheStageAndWhatItsWorkerLoggedWhenWarmUpFails() {
		assertThatException().isThrownBy(() -> start(Broken.class))
			.havingRootCause()
			.isInstanceOf(WorkerStartupException.class)
			.withMessageContaining("Stage 'broken' worker 1")
			.withMessageContaining("exited with code 1 before it was ready")
			.withMessageContaining("the model file /models/missing.onnx is missing");
	}

	@Test
	void failsAfterTheStartupTimeoutWhenNoWorkerBecomesReady() {
		assertThatException().isThrownBy(() -> start(Stuck.class, "--mosec.worker.startup-timeout=1s"))
			.havingRootCause()
			.isInstanceOf(WorkerStartupException.class)
			.withMessageContaining("Stage 'stuck' has no ready worker after PT1S (mosec.worker.startup-timeout)");
	}

	private static void start(Class<?> application, String... arguments) {
		new SpringApplicationBuilder(application).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "mosec.worker.mode=process")
			.run(arguments)
			.close();
	}

	@MosecStage(name = "broken")
	static class BrokenStage implements Worker<String, String> {

		@Override
		public String forward(String input) {
			return input;
		}

		@Override
		public List<String> examples() {
			throw new IllegalStateException("the model file /models/missing.onnx is missing");
		}

	}

	@MosecStage(name = "stuck")
	static class StuckStage implements Worker<String, String> {

		@Override
		public String forward(String input) {
			return input;
		}

		@Override
		public List<String> examples() {
			try {
				Thread.sleep(Duration.ofMinutes(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return List.of();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BrokenStage.class)
	static class Broken {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(StuckStage.class)
	static class Stuck {

	}

}
