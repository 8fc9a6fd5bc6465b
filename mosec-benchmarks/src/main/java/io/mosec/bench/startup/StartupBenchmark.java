package io.mosec.bench.startup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.mosec.bench.Servers;
import io.mosec.testing.ServerJvm;

import org.springframework.util.FileSystemUtils;

/**
 * Section 5 of the suite: how long a worker takes to be ready, and what CPU it burns, on every
 * launch path users take (a fat jar, the extracted container layout, an IDE's classes directory,
 * a test runner), with the worker cache off, cold, after a crash and warm; the floor (a plain JVM
 * that loads Jackson and msgpack and connects); and the time to ready of whole applications from
 * their fat jar, process mode against thread mode.
 */
public final class StartupBenchmark {


	private static final String ECHO_BODY = "{\"input\":\"ready?\"}";

	private static final String EMBED_BODY = "{\"input\": \"Hello, batching world\"}";

	private final Path work;

	private final String java;

	private final Path echoJar;

	private final String echoClasspath;

	private final String testRunnerClasspath;

	private final String floorClasspath;

	private final Path sampleJar;

	private final Consumer<Process> started;

	private final StringBuilder report = new StringBuilder();

	/**
	 * Creates the benchmark.
	 * @param work a directory of its own
	 * @param java the {@code java} to run everything with
	 * @param echoJar the echo application's fat jar
	 * @param echoClasspath its classes directory and dependencies, as an IDE runs it
	 * @param benchmarkClasses this module's classes directory
	 * @param floorClasspath jars with Jackson and msgpack
	 * @param sampleJar the sample's fat jar
	 * @param started told of every process started, so that the suite ends it whatever happens
	 */
	public StartupBenchmark(Path work, String java, Path echoJar, String echoClasspath, Path benchmarkClasses,
			String floorClasspath, Path sampleJar, Consumer<Process> started) {
		this.work = work;
		this.java = java;
		this.echoJar = echoJar.toAbsolutePath();
		this.echoClasspath = echoClasspath;
		this.testRunnerClasspath = benchmarkClasses.toAbsolutePath() + File.pathSeparator + echoClasspath;
		this.floorClasspath = benchmarkClasses.toAbsolutePath() + File.pathSeparator + floorClasspath;
		this.sampleJar = sampleJar.toAbsolutePath();
		this.started = started;
	}

	/**
	 * The benchmark of this build, from what {@code mosec-benchmarks/run.sh} built.
	 * @param work where its logs and caches go
	 * @param java the {@code java} to run
	 * @param sampleJar the sample's fat jar
	 * @param started told of every process started
	 * @return the benchmark
	 * @throws IOException if the build's classpaths cannot be read
	 */
	public static StartupBenchmark ofThisBuild(Path work, String java, Path sampleJar, Consumer<Process> started)
			throws IOException {
		Path echoApp = Path.of("mosec-echo-app", "target");
		String echoClasspath = echoApp.resolve("classes").toAbsolutePath() + File.pathSeparator
				+ Files.readString(echoApp.resolve("classpath.txt")).trim();
		String benchmarkClasspath = Files.readString(Path.of("mosec-benchmarks", "target", "classpath.txt")).trim();
		return new StartupBenchmark(Files.createDirectories(work.resolve("startup")), java,
				echoApp.resolve("mosec-echo-app-0.1.0-SNAPSHOT-exec.jar"), echoClasspath,
				Path.of("mosec-benchmarks", "target", "classes"), jarsNamed(benchmarkClasspath, "jackson-core-2",
						"jackson-databind-2", "jackson-annotations-2", "msgpack-core", "jackson-dataformat-msgpack"),
				sampleJar, started);
	}

	/**
	 * Runs every measurement.
	 * @return the section's tables and goal lines, in Markdown
	 * @throws Exception if a server cannot be started or measured
	 */
	public String run() throws Exception {
		Path extracted = this.work.resolve("extracted");
		FileSystemUtils.deleteRecursively(extracted);
		Process extract = new ProcessBuilder(this.java, "-Djarmode=tools", "-jar", this.echoJar.toString(), "extract",
				"--destination", extracted.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.started.accept(extract);
		extract.waitFor(2, TimeUnit.MINUTES);
		Map<String, List<String>> paths = new LinkedHashMap<>();
		paths.put("fat jar (`java -jar app.jar`)", List.of("-jar", this.echoJar.toString()));
		paths.put("extracted layout (`-Djarmode=tools extract`, the container image)",
				List.of("-jar", extracted.resolve(this.echoJar.getFileName()).toString()));
		paths.put("classes directory (IDE, `spring-boot:run`)",
				List.of("-cp", this.echoClasspath, "io.mosec.bench.echo.MosecEchoApplication"));
		paths.put("test runner (`@SpringBootTest`: another main class, classes directories)",
				List.of("-cp", this.testRunnerClasspath, TestRunnerLauncher.class.getName()));
		List<String> lone = List.of("--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=echo",
				"--mosec.stages.echo.num=1");

		Measured floor = FloorProcess.measure(this.java, this.floorClasspath, this.work, this.started);
		this.report.append("A lone trivial worker (one stage, `num: 1`), from launching it to its connection after "
				+ "warm-up (the server's log), and the CPU it used until then (user and system, from /proc). "
				+ "*Cache off*: `mosec.worker.cache.enabled=false`, as before this cache existed. *Cold*: an empty "
				+ "cache directory, so the server extracts the fat jar or jars the classes directories first, and "
				+ "trains the class data archive once the worker is ready. *Restart*: the worker killed with "
				+ "`kill -9` once the archive is written. *Warm*: the next server starts, same cache (median of three).\n\n");
		this.report.append("| Launch path | Cache off | Cold | Restart after kill -9 | Warm |\n|---|---|---|---|---|\n");
		Map<String, Measured> warm = new LinkedHashMap<>();
		Map<String, Measured[]> all = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> path : paths.entrySet()) {
			Path cache = this.work.resolve("cache-" + all.size());
			FileSystemUtils.deleteRecursively(cache);
			Measured off;
			try (StartupServer server = start("off", path.getValue(), "/echo", ECHO_BODY,
					concat(lone, List.of("--mosec.worker.cache.enabled=false")))) {
				off = server.worker();
			}
			Measured cold;
			Measured restart;
			List<String> cached = concat(lone, List.of("--mosec.worker.cache.dir=" + cache));
			try (StartupServer server = start("cold", path.getValue(), "/echo", ECHO_BODY, cached)) {
				cold = server.worker();
				server.awaitTrained();
				restart = server.restartAfterKill();
			}
			// The median of three warm starts: the goals compare paths within 10 %, closer than one start's noise.
			List<Measured> warmStarts = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				try (StartupServer server = start("warm", path.getValue(), "/echo", ECHO_BODY, cached)) {
					warmStarts.add(server.worker());
				}
			}
			warmStarts.sort((a, b) -> Long.compare(a.millis(), b.millis()));
			Measured next = warmStarts.get(1);
			warm.put(path.getKey(), next);
			all.put(path.getKey(), new Measured[] { off, cold, restart, next });
			this.report.append("| ").append(path.getKey()).append(" | ").append(off).append(" | ").append(cold)
				.append(" | ").append(restart).append(" | ").append(next).append(" |\n");
		}
		this.report.append("| floor: plain JVM, Jackson and msgpack used once, Unix socket connected | | | | ")
			.append(floor).append(" |\n");

		List<Measured> warmStarts = List.copyOf(warm.values());
		List<Measured> restarts = all.values().stream().map((measured) -> measured[2]).toList();
		// Warm: the worker starts while its server is still starting (and compiling) too; a restart
		// starts it beside an idle server, so that column is the worker's own cost.
		goal("every launch path ready within 1.1x of the best (warm start)", worstRatio(warmStarts), 1.1);
		goal("every launch path ready within 1.1x of the best (restart)", worstRatio(restarts), 1.1);
		goal("the best launch path within 3x of the floor (warm start)", best(warmStarts).millis() / (double) floor.millis(),
				3.0);
		goal("the best launch path within 3x of the floor (restart)", best(restarts).millis() / (double) floor.millis(),
				3.0);
		double worstRestart = all.values().stream()
			.mapToDouble((measured) -> (double) measured[2].millis() / measured[1].millis()).max().orElseThrow();
		goal("a killed lone worker ready again within 1.3x of its own cold start (worst path)", worstRestart, 1.3);
		this.report.append("\n");

		this.report.append("\nWhole applications from their fat jar: from launching the server to its first answer "
				+ "(the port opens once every stage has a ready worker), median of three starts (one for the cold "
				+ "cache). *Thread mode* runs the stages in the server (`mosec.worker.mode=thread`): no worker "
				+ "process at all.\n\n");
		this.report.append("| Application | Thread mode | Process mode, cold cache | Process mode, warm cache | "
				+ "Warm / thread | Cold / thread |\n|---|---|---|---|---|---|\n");
		List<String> pipeline = List.of("--mosec.routes[0].path=/pipeline",
				"--mosec.routes[0].stages=echo,decode,score,encode");
		double echoRatio = application("Starter only: 4 trivial stages, 5 workers", List.of("-jar", this.echoJar.toString()),
				"/pipeline", ECHO_BODY, pipeline);
		double sampleRatio = application("The sample: tokenize 1, embed 2 (ONNX model)",
				List.of("-jar", this.sampleJar.toString()), "/v1/embeddings", EMBED_BODY, List.of());
		goal("starter-only app, process mode (warm cache) within 1.3x of thread mode", echoRatio, 1.3);
		goal("the sample, process mode (warm cache) within 1.3x of thread mode", sampleRatio, 1.3);
		return this.report.toString();
	}

	private double application(String name, List<String> target, String path, String body, List<String> arguments)
			throws Exception {
		Path cache = this.work.resolve("cache-app-" + name.hashCode());
		FileSystemUtils.deleteRecursively(cache);
		List<Long> threadStarts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			try (StartupServer server = start("thread", target, path, body,
					concat(arguments, List.of("--mosec.worker.mode=thread")))) {
				threadStarts.add(server.readyMillis);
			}
		}
		threadStarts.sort(null);
		long thread = threadStarts.get(1);
		List<String> cached = concat(arguments, List.of("--mosec.worker.cache.dir=" + cache));
		long cold;
		try (StartupServer server = start("process-cold", target, path, body, cached)) {
			cold = server.readyMillis;
			server.awaitTrained();
		}
		List<Long> warmStarts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			try (StartupServer server = start("process-warm", target, path, body, cached)) {
				warmStarts.add(server.readyMillis);
			}
		}
		warmStarts.sort(null);
		long warm = warmStarts.get(1);
		double ratio = (double) warm / thread;
		this.report.append(String.format(Locale.ROOT, "| %s | %,d ms | %,d ms | %,d ms | %.2fx | %.2fx |%n", name,
				thread, cold, warm, ratio, (double) cold / thread));
		return ratio;
	}

	private StartupServer start(String name, List<String> target, String path, String body, List<String> arguments)
			throws Exception {
		int port = ServerJvm.freePort();
		List<String> command = new ArrayList<>(List.of(this.java, "-Xmx1g"));
		command.addAll(target);
		command.addAll(arguments);
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		Path log = this.work.resolve("startup-" + name + "-" + port + ".log");
		System.out.println("Starting " + name + ": " + String.join(" ", target.subList(0, Math.min(2, target.size())))
				.replaceAll("(.{100}).*", "$1..."));
		long launched = System.nanoTime();
		ServerJvm jvm = ServerJvm.start(name, command, log, Servers.FIRST_ANSWER,
				ServerJvm.answers(port, path, body));
		this.started.accept(jvm.process());
		StartupServer server = new StartupServer(jvm, log);
		server.readyMillis = (System.nanoTime() - launched) / 1_000_000;
		return server;
	}

	private static Measured best(List<Measured> starts) {
		return starts.stream().min((a, b) -> Long.compare(a.millis(), b.millis())).orElseThrow();
	}

	private static double worstRatio(List<Measured> starts) {
		Measured best = best(starts);
		return starts.stream().mapToDouble((measured) -> (double) measured.millis() / best.millis()).max().orElseThrow();
	}

	private void goal(String goal, double measured, double target) {
		this.report.append(String.format(Locale.ROOT, "%n- Goal: %s. Measured %.2f: **%s**.", goal, measured,
				(measured <= target) ? "met" : "missed"));
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** The jars of a classpath whose file names start with one of {@code prefixes}. */
	static String jarsNamed(String classpath, String... prefixes) {
		return String.join(File.pathSeparator, Stream.of(classpath.split(File.pathSeparator))
			.filter((entry) -> Stream.of(prefixes).anyMatch((prefix) -> Path.of(entry).getFileName().toString()
				.startsWith(prefix)))
			.toList());
	}

}
