package io.mosec.spring.worker.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.test.ManifestJars;
import io.mosec.spring.worker.ProcessStages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command that re-launches the application as a worker.
 */
class WorkerLauncherTests {

	private final StageDefinition stage = new StageDefinition("embed", "embed", Object.class, 1, 2, 8,
			Duration.ofMillis(10), Duration.ofSeconds(3), StageKind.BATCH_WORKER, Object.class, Object.class,
			List.of(Map.of("CUDA_VISIBLE_DEVICES", "0"), Map.of("CUDA_VISIBLE_DEVICES", "1")), List.of("-Xmx2g"));

	@Test
	void relaunchesAFatJarWithTheStagesOptionsAndTheWorkersOwnArguments() {
		WorkerLauncher launcher = new WorkerLauncher("/jdk/bin/java", List.of("-Xss1m"), List.of("-jar", "app.jar"),
				List.of(), List.of("--server.port=9000", "--spring.main.web-application-type=reactive"));
		List<String> command = launcher.processBuilder(this.stage, 2, Path.of("/tmp/mosec-x/0-embed.sock")).command();
		assertThat(command).startsWith("/jdk/bin/java", "-XX:CompileThresholdScaling=5", "-Xss1m", "-Xmx2g", "-jar",
				"app.jar", "--server.port=9000")
			.contains("--mosec.internal.role=worker", "--mosec.internal.stage=embed", "--mosec.internal.worker-id=2",
					"--mosec.internal.socket=/tmp/mosec-x/0-embed.sock",
					"--mosec.internal.parent-pid=" + ProcessHandle.current().pid(),
					"--spring.main.web-application-type=none", "--spring.main.lazy-initialization=true")
			.doesNotContain("--spring.main.web-application-type=reactive");
	}

	@Test
	void startsWorkersWithAJitForShortStartsThatTheServersAndTheStagesOptionsOverride() {
		WorkerLauncher launcher = new WorkerLauncher("java", List.of(), List.of("-jar", "app.jar"), List.of(), List.of());
		StageDefinition ownJit = new StageDefinition("embed", "embed", Object.class, 1, 2, 8, Duration.ofMillis(10),
				Duration.ofSeconds(3), StageKind.BATCH_WORKER, Object.class, Object.class, List.of(),
				List.of("-XX:CompileThresholdScaling=1"));

		List<String> command = launcher.processBuilder(ownJit, 1, Path.of("s.sock")).command();

		// HotSpot takes the last of two values of a flag.
		assertThat(command.indexOf("-XX:CompileThresholdScaling=5"))
			.isLessThan(command.indexOf("-XX:CompileThresholdScaling=1"));
	}

	@Test
	void startsATrainingWorkerThatSaysItTrains() {
		WorkerLauncher launcher = new WorkerLauncher("java", List.of(), List.of("-jar", "app.jar"), List.of(), List.of());

		assertThat(launcher.trainingProcessBuilder(this.stage, Path.of("s.sock"), List.of("-XX:ArchiveClassesAtExit=a"))
			.command()).contains("-XX:ArchiveClassesAtExit=a", "--mosec.internal.training=true",
					"--mosec.internal.stage=embed");
		assertThat(launcher.processBuilder(this.stage, 1, Path.of("s.sock")).command())
			.doesNotContain("--mosec.internal.training=true");
	}

	@Test
	void exportsEachWorkersOwnEnvironment() {
		WorkerLauncher launcher = new WorkerLauncher("java", List.of(), List.of("-cp", "classes", "app.Main"),
				List.of(), List.of());
		assertThat(launcher.processBuilder(this.stage, 1, Path.of("s.sock")).environment())
			.containsEntry("CUDA_VISIBLE_DEVICES", "0");
		assertThat(launcher.processBuilder(this.stage, 2, Path.of("s.sock")).environment())
			.containsEntry("CUDA_VISIBLE_DEVICES", "1");
	}

	@Test
	void startsTheTestJvmsWorkersFromTheApplicationsConfigurationClasses() {
		WorkerLauncher launcher = WorkerLauncher.forThisJvm(List.of(ProcessStages.Application.class), List.of());
		assertThat(launcher.processBuilder(this.stage, 1, Path.of("s.sock")).command())
			.containsSubsequence("-cp", System.getProperty("java.class.path"), "io.mosec.spring.worker.child.WorkerMain")
			.contains("--mosec.internal.sources=" + ProcessStages.Application.class.getName())
			.noneMatch((option) -> option.startsWith("-agentlib:") || option.startsWith("-javaagent:"));
	}

	@Test
	void relaunchesFatJarsAndExtractedApplicationJarsButNotATestRunnersJar(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
			throws Exception {
		assertThat(SpringBootJars.startsSpringBoot(jar(temp, "fat.jar", "Main-Class", "org.springframework.boot.loader.launch.JarLauncher",
				"Start-Class", "com.example.App"))).isTrue();
		assertThat(SpringBootJars.startsSpringBoot(jar(temp, "application.jar", "Main-Class", "com.example.App",
				"Spring-Boot-Version", "4.0.7"))).isTrue();
		assertThat(SpringBootJars.startsSpringBoot(jar(temp, "surefirebooter.jar", "Main-Class",
				"org.apache.maven.surefire.booter.ForkedBooter"))).isFalse();
		assertThat(SpringBootJars.startsSpringBoot(temp.resolve("missing.jar"))).isFalse();
	}

	private static java.nio.file.Path jar(java.nio.file.Path directory, String name, String... attributes)
			throws Exception {
		return ManifestJars.write(directory, name, attributes);
	}

}
