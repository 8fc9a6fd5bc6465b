package io.mosec.spring.worker.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.worker.child.WorkerMain;

/**
 * Builds the command that re-launches this application as one worker: the same {@code java},
 * the same JVM options (minus debuggers and agents), the same fat jar or classpath and main
 * class, plus the stage's JVM options and the worker's internal arguments. No shell is
 * involved: the command goes to {@link ProcessBuilder} as a list.
 */
public final class WorkerLauncher {

	/** JVM options a worker must not inherit: they would clash with the server's (ports, files). */
	private static final List<String> NOT_INHERITED = List.of("-agentlib:", "-agentpath:", "-javaagent:", "-Xdebug",
			"-Xrunjdwp", "-XX:StartFlightRecording", "-XX:+StartFlightRecording", "-XX:FlightRecorderOptions",
			"-Dcom.sun.management.jmxremote", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive");

	/** Properties the launcher sets itself; forwarded arguments must not set them twice. */
	private static final List<String> OWN_PROPERTIES = List.of("--mosec.internal.", "--spring.main.web-application-type",
			"--spring.main.lazy-initialization", "--spring.main.banner-mode", "--spring.main.log-startup-info",
			"--logging.pattern.console", "--logging.structured.format.console", "--management.endpoints.access.default");

	private static final String CHILD_LOG_PATTERN = "%-5level %logger{36} : %msg%n";

	/**
	 * JVM options every worker starts with, before the server's and the stage's own (so either
	 * overrides them), where this JVM knows them. Compiling only code that is called five times
	 * as often as HotSpot's default: half of a worker's start was the JIT compiling start-up
	 * code it never runs again (BENCHMARKS.md); code that serves batches is compiled all the same,
	 * a few thousand batches later.
	 */
	private static final List<String> WORKER_DEFAULTS = knownOptions(List.of("-XX:CompileThresholdScaling=5"));

	private final String java;

	private final List<String> jvmOptions;

	private final List<String> launchTarget;

	private final List<String> targetArguments;

	private final List<String> forwardedArguments;

	/** The command as the server was launched: what names its workers' class data archives. */
	private final List<String> identity;

	private final Path classDataDirectory;

	/** One archive per command, shared by the stages started with it. */
	private final Map<String, ClassDataArchive> archives = new ConcurrentHashMap<>();

	/**
	 * Creates a launcher.
	 * @param java the java executable
	 * @param jvmOptions the JVM options every worker gets
	 * @param launchTarget what follows the options: {@code -jar app.jar}, or {@code -cp path Main}
	 * @param targetArguments arguments the target itself needs
	 * @param forwardedArguments the server's own arguments, passed on so a worker sees the same
	 * configuration
	 */
	public WorkerLauncher(String java, List<String> jvmOptions, List<String> launchTarget, List<String> targetArguments,
			List<String> forwardedArguments) {
		this(java, jvmOptions, launchTarget, targetArguments, forwardedArguments.stream()
			.filter((argument) -> OWN_PROPERTIES.stream().noneMatch(argument::startsWith))
			.toList(), launchTarget, null);
	}

	private WorkerLauncher(String java, List<String> jvmOptions, List<String> launchTarget,
			List<String> targetArguments, List<String> forwardedArguments, List<String> identity,
			Path classDataDirectory) {
		this.java = java;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.launchTarget = List.copyOf(launchTarget);
		this.targetArguments = List.copyOf(targetArguments);
		this.forwardedArguments = List.copyOf(forwardedArguments);
		this.identity = List.copyOf(identity);
		this.classDataDirectory = classDataDirectory;
	}

	/**
	 * This launcher, with workers started from what {@code cache} prepares (an extracted fat
	 * jar, classes directories as jars) and their class data archives kept there.
	 * @param cache the worker cache, or {@code null} for none
	 * @param classDataSharing whether workers write and map class data archives
	 * @return a launcher
	 * @see WorkerCache
	 * @see ClassDataArchive
	 */
	public WorkerLauncher withCache(WorkerCache cache, boolean classDataSharing) {
		if (cache == null) {
			return this;
		}
		return new WorkerLauncher(this.java, this.jvmOptions, cache.prepare(this.java, this.launchTarget),
				this.targetArguments, this.forwardedArguments, this.launchTarget,
				classDataSharing ? cache.archives() : null);
	}

	/**
	 * A launcher for this JVM: a Spring Boot fat jar started with {@code java -jar} is started
	 * again the same way; an application started from its main class (IDE,
	 * {@code spring-boot:run}) likewise; anything else (a test JVM) starts {@link WorkerMain}
	 * with the application's configuration classes.
	 * @param sources the application's {@code @SpringBootConfiguration} classes
	 * @param forwardedArguments the server's arguments to pass on
	 * @return the launcher
	 */
	public static WorkerLauncher forThisJvm(List<Class<?>> sources, List<String> forwardedArguments) {
		String java = ProcessHandle.current().info().command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
			.filter((option) -> NOT_INHERITED.stream().noneMatch(option::startsWith))
			.toList();
		String command = System.getProperty("sun.java.command", "").trim();
		String first = command.isEmpty() ? "" : command.split(" ")[0];
		String classpath = System.getProperty("java.class.path");
		if (first.endsWith(".jar") && SpringBootJars.startsSpringBoot(Path.of(first))) {
			return new WorkerLauncher(java, jvmOptions, List.of("-jar", first), List.of(), forwardedArguments);
		}
		if (sources.stream().anyMatch((source) -> source.getName().equals(first))) {
			return new WorkerLauncher(java, jvmOptions, List.of("-cp", classpath, first), List.of(), forwardedArguments);
		}
		List<String> names = sources.stream().map(Class::getName).toList();
		return new WorkerLauncher(java, jvmOptions, List.of("-cp", classpath, WorkerMain.class.getName()),
				List.of("--" + WorkerMain.SOURCES_PROPERTY + "=" + String.join(",", names)), forwardedArguments);
	}

	/**
	 * The process of one worker.
	 * @param stage the stage
	 * @param workerId the worker's id, 1 to num
	 * @param socket the stage's socket
	 * @return a process builder, not yet started
	 */
	public ProcessBuilder processBuilder(StageDefinition stage, int workerId, Path socket) {
		return processBuilder(stage, workerId, socket, List.of());
	}

	/**
	 * The process of one worker, with JVM options of its own.
	 * @param stage the stage
	 * @param workerId the worker's id, 1 to num
	 * @param socket the stage's socket
	 * @param ownJvmOptions JVM options of this worker alone (its class data archive)
	 * @return a process builder, not yet started
	 */
	public ProcessBuilder processBuilder(StageDefinition stage, int workerId, Path socket, List<String> ownJvmOptions) {
		return processBuilder(stage, workerId, socket, ownJvmOptions, false);
	}

	/**
	 * The process of a worker that warms up the stage and exits without serving, so that the
	 * class data archive it writes at exit holds what a worker loads.
	 * @param stage the stage
	 * @param socket the stage's socket, which it never connects to
	 * @param ownJvmOptions the options that write the archive
	 * @return a process builder, not yet started
	 */
	public ProcessBuilder trainingProcessBuilder(StageDefinition stage, Path socket, List<String> ownJvmOptions) {
		return processBuilder(stage, 1, socket, ownJvmOptions, true);
	}

	private ProcessBuilder processBuilder(StageDefinition stage, int workerId, Path socket, List<String> ownJvmOptions,
			boolean training) {
		List<String> command = jvmCommand(stage, ownJvmOptions);
		command.addAll(this.forwardedArguments);
		command.addAll(this.targetArguments);
		command.add("--" + WorkerMain.ROLE_PROPERTY + "=worker");
		command.add("--" + WorkerMain.STAGE_PROPERTY + "=" + stage.name());
		command.add("--" + WorkerMain.WORKER_ID_PROPERTY + "=" + workerId);
		command.add("--" + WorkerMain.SOCKET_PROPERTY + "=" + socket);
		command.add("--" + WorkerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
		if (training) {
			command.add("--" + WorkerMain.TRAINING_PROPERTY + "=true");
		}
		command.add("--spring.main.web-application-type=none");
		command.add("--spring.main.lazy-initialization=true");
		command.add("--spring.main.banner-mode=off");
		// A worker's "Started ..." line, in the server's log, would say the service is up before it
		// is; the server logs when each worker is ready.
		command.add("--spring.main.log-startup-info=false");
		// A worker serves no endpoint: its health is the server's business (and a readiness group that
		// includes the server's mosec contributor would not find it here).
		command.add("--management.endpoints.access.default=none");
		// Plain lines: the server logs each one with the stage and worker as fields, structured or not.
		command.add("--logging.structured.format.console=");
		command.add("--logging.pattern.console=" + CHILD_LOG_PATTERN);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (!stage.env().isEmpty()) {
			Map<String, String> env = builder.environment();
			env.putAll(stage.env().get(workerId - 1));
		}
		return builder;
	}

	/**
	 * The class data archive of a stage's workers.
	 * @param stage the stage
	 * @return its archive, {@link ClassDataArchive#NONE} when there is none
	 */
	public ClassDataArchive classDataArchive(StageDefinition stage) {
		if (this.classDataDirectory == null) {
			return ClassDataArchive.NONE;
		}
		List<String> command = jvmCommand(stage, List.of());
		List<String> identity = new ArrayList<>(command.subList(0, command.size() - this.launchTarget.size()));
		identity.addAll(this.identity);
		return this.archives.computeIfAbsent(String.join("\n", command),
				(key) -> ClassDataArchive.of(this.classDataDirectory, identity, command));
	}

	/** The command up to the main class or jar: what decides which classes a worker's JVM finds. */
	private List<String> jvmCommand(StageDefinition stage, List<String> ownJvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(WORKER_DEFAULTS);
		command.addAll(this.jvmOptions);
		command.addAll(stage.jvmOptions());
		command.addAll(ownJvmOptions);
		command.addAll(this.launchTarget);
		return command;
	}

	/** The {@code -XX:Name=value} options that this JVM (the one workers run on) has a flag for. */
	private static List<String> knownOptions(List<String> options) {
		List<String> known = new ArrayList<>();
		for (String option : options) {
			String flag = option.substring("-XX:".length(), option.indexOf('='));
			try {
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(flag);
				known.add(option);
			}
			catch (RuntimeException | LinkageError ex) {
				// Not a HotSpot JVM, or a flag it does not have: the worker starts without it.
			}
		}
		return List.copyOf(known);
	}

}
