package io.mosec.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.testing.ServerJvm;
import io.mosec.bench.bare.BareEchoApplication;
import io.mosec.bench.echo.MosecEchoApplication;
import io.mosec.bench.naive.NaiveEmbeddingApplication;
import io.mosec.bench.startup.StartupBenchmark;


/**
 * Runs the benchmark suite and writes {@code BENCHMARKS.md}: it starts each server on
 * 127.0.0.1, drives it with wrk (bounded in time), takes the median of several runs, and puts
 * each result beside its baseline measured in the same run. Every process it starts is ended by
 * it, also on failure.
 * <p>
 * Arguments: the output file, then optionally {@code --quick} (short runs, for a smoke test) or
 * {@code --startup-only} (section 5's start-up tables alone).
 */
public final class BenchmarkRunner {

	/** How long a server the suite starts may take to answer its first request. */
	public static final Duration FIRST_ANSWER = Duration.ofMinutes(3);

	private static final String ECHO_BODY = "{\"model\":\"echo\",\"input\":\"The quick brown fox jumps over the dog.\"}";

	private final Path work;

	private final Path classpath;

	private final Path sampleJar;

	private final Duration runTime;

	private final Duration warmUp;

	/** The warm-up of a server that has run load already, at another number of connections. */
	private final Duration rewarm;

	private final int repeats;

	private final List<Process> started = new ArrayList<>();

	private final Report report = new Report();

	/** When the echo service's and the sample's workers were ready, and their memory after load (sections 1, 3). */
	private Started echo;

	private Started sample;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private BenchmarkRunner(Path work, Path classpath, Path sampleJar, boolean quick) {
		this.work = work;
		this.classpath = classpath;
		this.sampleJar = sampleJar;
		this.runTime = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
		// Long enough for the JIT of the server and of its workers to settle: after 10 s the server's
		// C2 compiler thread still took 20-40 % of a core during the measured runs; after 30 s, 1-5 %.
		this.warmUp = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(30);
		this.rewarm = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
		this.repeats = quick ? 1 : 3;
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of(args[0]);
		boolean quick = List.of(args).contains("--quick");
		Path benchmarks = Path.of("mosec-benchmarks", "target");
		// The module's jar rather than target/classes: class data sharing archives classes from jars only.
		String classpath = benchmarks.resolve("mosec-benchmarks-0.1.0-SNAPSHOT.jar").toAbsolutePath()
				+ java.io.File.pathSeparator + Files.readString(benchmarks.resolve("classpath.txt")).trim();
		Path classpathFile = benchmarks.resolve("java-classpath.arg");
		Files.writeString(classpathFile, "-cp \"" + classpath + "\"");
		Path sampleJar = Path.of("mosec-sample-app", "target", "mosec-sample-app-0.1.0-SNAPSHOT-exec.jar");
		Path work = Files.createDirectories(benchmarks.resolve("bench-work"));
		BenchmarkRunner runner = new BenchmarkRunner(work, classpathFile, sampleJar, quick);
		Runtime.getRuntime().addShutdownHook(new Thread(runner::stopAll));
		try {
			if (List.of(args).contains("--startup-only")) {
				// Section 5's start-up tables alone, a few minutes: for work on worker start.
				runner.header();
				runner.startupAndMemory();
			}
			else {
				runner.run();
			}
		}
		finally {
			runner.stopAll();
		}
		Path analysis = Path.of("mosec-benchmarks", "ANALYSIS.md");
		if (Files.exists(analysis)) {
			runner.report.append(Files.readString(analysis));
		}
		Files.writeString(output, runner.report.toString());
		System.out.println("Wrote " + output.toAbsolutePath());
	}

	private void run() throws Exception {
		Path echoScript = luaFixed("echo.lua", ECHO_BODY);
		Path embedScript = luaEmbeddings("embeddings.lua", Sentences.corpus(1024));
		header();

		overhead(echoScript);
		batching(echoScript);
		realModel(embedScript);
		ipc();
		startupAndMemory();
	}

	/** 1. What the starter costs a request: echo against bare WebFlux. */
	private void overhead(Path echoScript) throws Exception {
		Result bare64;
		Result bare1;
		try (Server bare = start("bare", "/echo", ECHO_BODY, List.of(BareEchoApplication.class.getName()))) {
			bare64 = load(bare, "/echo", 64, echoScript);
			bare1 = load(bare, "/echo", 1, echoScript);
		}
		List<String> echoRoute = List.of("--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=echo");
		Result thread64;
		Result thread1;
		try (Server thread = start("mosec-thread", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=thread"), echoRoute))) {
			thread64 = load(thread, "/echo", 64, echoScript);
			thread1 = load(thread, "/echo", 1, echoScript);
		}
		Result process64;
		Result process1;
		try (Server process = start("mosec-process", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process"), echoRoute))) {
			process64 = load(process, "/echo", 64, echoScript);
			process1 = load(process, "/echo", 1, echoScript);
			this.echo = new Started(process.readyTimes(), process.memory());
		}
		Result processNoMetrics64;
		try (Server process = start("mosec-process-no-metrics", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process",
						// Meters off (Mosec's families too) and, since that leaves it running, the HTTP observation.
						"--management.metrics.enable.all=false",
						"--management.observations.enable.http.server.requests()=false"), echoRoute))) {
			processNoMetrics64 = load(process, "/echo", 64, echoScript);
		}
		this.report.section("1. Overhead: echo, batch 1",
				"One stage that returns its input (`byte[]`), against a bare WebFlux route that does the same. "
						+ "Metrics on means the starter's defaults: Actuator HTTP server metrics and Mosec's families; "
						+ "metrics off turns both off, with Micrometer's HTTP server observation.");
		this.report.table(List.of(Report.row("bare WebFlux (baseline)", 64, bare64, bare64),
				Report.row("Mosec, thread mode, metrics on", 64, thread64, bare64),
				Report.row("Mosec, process mode, metrics on", 64, process64, bare64),
				Report.row("Mosec, process mode, metrics off", 64, processNoMetrics64, bare64),
				Report.row("bare WebFlux (baseline)", 1, bare1, bare1), Report.row("Mosec, thread mode, metrics on", 1, thread1, bare1),
				Report.row("Mosec, process mode, metrics on", 1, process1, bare1)));
		this.report.goal("process-mode throughput at 64 connections, metrics on, at least 0.5 of bare WebFlux",
				process64.rps() / bare64.rps(), 0.5, true);
		this.report.goal("added p50 at 1 connection (process mode) at most 0.3 ms", process1.p50() - bare1.p50(), 0.3, false);
		this.report.append("\nWhat a request costs at 64 connections, from /proc over the measured runs: CPU time (user and "
				+ "system) of the server JVM and of its worker JVMs, and how often their threads were switched out "
				+ "(a thread that blocks and is woken again costs one).\n\n");
		this.report.append("| Server | req/s | server CPU µs/req | workers CPU µs/req | server switches/req | "
				+ "workers switches/req |\n|---|---|---|---|---|---|\n");
		this.report.costRow("bare WebFlux", bare64);
		this.report.costRow("Mosec, thread mode, metrics on", thread64);
		this.report.costRow("Mosec, process mode, metrics on", process64);
		this.report.costRow("Mosec, process mode, metrics off", processNoMetrics64);
	}

	/** 2. How close batching comes to its ideal. */
	private void batching(Path echoScript) throws Exception {
		Result sleep;
		String sleepBatches;
		try (Server batching = start("mosec-sleep", "/sleep", ECHO_BODY,
				List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process",
						"--mosec.routes[0].path=/sleep", "--mosec.routes[0].stages=sleep"))) {
			sleep = load(batching, "/sleep", 256, echoScript);
			sleepBatches = batches(batching, "sleep");
		}
		this.report.section("2. Batching efficiency",
				"A stage that costs a fixed 20 ms per batch of up to 32 (sleep), 2 workers, 256 connections: "
						+ "the ideal is 2 x 32 / 20 ms = 3,200 req/s.");
		List<String[]> sleepRows = new ArrayList<>();
		sleepRows.add(new String[] { "Mosec, process mode, 2 workers", "256", Report.fmt(sleep.rps()), Report.fmt2(sleep.p50()),
				Report.fmt2(sleep.p99()), Report.fmt2(sleep.rps() / 3200) + " of ideal", sleep.errors(), Report.stolen(sleep) });
		this.report.table(sleepRows);
		this.report.append("\nBatches over the server's life (warm-up included), from its Prometheus metrics: ")
			.append(sleepBatches)
			.append(".\n");
		this.report.goal("throughput at least 0.9 of ideal", sleep.rps() / 3200, 0.9, true);
		this.report.goal("p99 at most 60 ms", sleep.p99(), 60, false);
	}

	/** 3. The sample's model against a naive service and the model alone. */
	private void realModel(Path embedScript) throws Exception {
		List<Result> naive = new ArrayList<>();
		String embedBody = "{\"input\": \"" + Sentences.corpus(1).get(0) + "\"}";
		try (Server server = start("naive", "/v1/embeddings", embedBody,
				List.of(NaiveEmbeddingApplication.class.getName()))) {
			for (int connections : new int[] { 1, 8, 32 }) {
				naive.add(load(server, "/v1/embeddings", connections, embedScript));
			}
		}
		List<Result> quantized = new ArrayList<>();
		String sampleBatches;
		try (Server server = startJar("sample-quantized", "/v1/embeddings", embedBody,
				List.of("--embedding.variant=quantized"))) {
			for (int connections : new int[] { 1, 8, 32 }) {
				quantized.add(load(server, "/v1/embeddings", connections, embedScript));
			}
			this.sample = new Started(server.readyTimes(), server.memory());
			sampleBatches = batches(server, "embed");
		}
		List<Result> fp32 = new ArrayList<>();
		try (Server server = startJar("sample-fp32", "/v1/embeddings", embedBody, List.of())) {
			for (int connections : new int[] { 1, 8, 32 }) {
				fp32.add(load(server, "/v1/embeddings", connections, embedScript));
			}
		}
		double offlineQuantized = offline("QUANTIZED");
		double offlineFp32 = offline("FP32");
		double twoSingleThreadQuantized = offline("QUANTIZED", 2, 1, 32);
		double twoSingleThreadUnbatched = offline("QUANTIZED", 2, 1, 1);
		this.report.section("3. Real model: all-MiniLM-L6-v2 embeddings",
				"One text per request, from a fixed corpus of 1,024 texts of 4 to 160 words (log-normal, median about 22). The naive "
						+ "service calls langchain4j's in-process `AllMiniLmL6V2QuantizedEmbeddingModel.embed` per "
						+ "request behind a plain WebFlux endpoint. The sample runs tokenisation (1 worker) and "
						+ "inference (2 workers, 1 ONNX Runtime thread each, batches up to 32 cut into runs of "
						+ "similar length). The offline limit is the same model in one JVM (2 threads) on "
						+ "pre-formed batches of 32 in arrival order, no HTTP.");
		List<String[]> rows = new ArrayList<>();
		int[] connections = { 1, 8, 32 };
		for (int i = 0; i < 3; i++) {
			rows.add(Report.row("naive langchain4j, quantized (baseline)", connections[i], naive.get(i), naive.get(i)));
			rows.add(Report.row("Mosec sample, quantized", connections[i], quantized.get(i), naive.get(i)));
			rows.add(Report.row("Mosec sample, fp32", connections[i], fp32.get(i), naive.get(i)));
		}
		this.report.table(rows);
		this.report.append(String.format(Locale.ROOT,
				"%nOffline limit, batches of 32 in arrival order (median of the runs): quantized %.0f sentences/s, "
						+ "fp32 %.0f sentences/s.%n",
				offlineQuantized, offlineFp32));
		this.report.append(String.format(Locale.ROOT,
				"The model alone in two JVMs of 1 thread each, as the sample's two inference workers run it (same batches, "
						+ "no HTTP, no tokenising, no wrk): quantized %.0f sentences/s, %.2fx the naive service at 32 "
						+ "connections.%n",
				twoSingleThreadQuantized, twoSingleThreadQuantized / naive.get(2).rps()));
		this.report.append(String.format(Locale.ROOT,
				"The same two JVMs embedding one sentence per run (no batching, no padding): %.0f sentences/s, so batches "
						+ "of 32 gain %.2fx over single sentences on this CPU.%n",
				twoSingleThreadUnbatched, twoSingleThreadQuantized / twoSingleThreadUnbatched));
		this.report.append("Inference batches of the quantized sample over its life (all three loads and their warm-ups), "
				+ "from its Prometheus metrics: ")
			.append(sampleBatches)
			.append(".\n");
		this.report.goal("quantized at 32 connections at least 1.5x the naive service", quantized.get(2).rps() / naive.get(2).rps(),
				1.5, true);
		this.report.goal("quantized p99 at 32 connections no worse than the naive one's (ratio at most 1)",
				quantized.get(2).p99() / naive.get(2).p99(), 1.0, false);
		this.report.goal("quantized at 32 connections at least 0.85 of the offline limit", quantized.get(2).rps() / offlineQuantized,
				0.85, true);
	}

	/** 4. The socket between the server and its workers (JMH). */
	private void ipc() throws Exception {
		this.report.section("4. IPC (JMH)", "Frame encode and decode (tasks of 100 bytes), and one frame to a second JVM "
				+ "and back over a Unix domain socket, through the channel the server and its workers use.");
		jmh();
	}

	/** 5. Worker start on every launch path, and memory. */
	private void startupAndMemory() throws Exception {
		this.report.section("5. Worker start-to-ready and memory",
				"From launching a worker process to its connection after warm-up, as the server logs it; resident "
						+ "memory after the load runs.");
		this.report.append("| Service | Workers ready after | Resident memory |\n|---|---|---|\n");
		if (this.echo != null) {
			this.report.append("| Mosec echo (2 trivial workers, started together) | ").append(this.echo.ready())
				.append(" | ").append(this.echo.memory()).append(" |\n");
			this.report.append("| Mosec sample (tokenize 1, embed 2, started together) | ").append(this.sample.ready())
				.append(" | ").append(this.sample.memory()).append(" |\n");
		}
		this.report.append("\n");
		this.report.append(startup().run());
		this.report.append("\n");
	}

	private StartupBenchmark startup() throws IOException {
		Path echoApp = Path.of("mosec-echo-app", "target");
		String echoClasspath = echoApp.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
				+ Files.readString(echoApp.resolve("classpath.txt")).trim();
		String benchmarkClasspath = Files.readString(Path.of("mosec-benchmarks", "target", "classpath.txt")).trim();
		return new StartupBenchmark(Files.createDirectories(this.work.resolve("startup")), java(),
				echoApp.resolve("mosec-echo-app-0.1.0-SNAPSHOT-exec.jar"), echoClasspath,
				Path.of("mosec-benchmarks", "target", "classes"),
				StartupBenchmark.jarsNamed(benchmarkClasspath, "jackson-core-2", "jackson-databind-2",
						"jackson-annotations-2", "msgpack-core", "jackson-dataformat-msgpack"),
				this.sampleJar, this.started::add);
	}

	private void header() throws IOException, InterruptedException {
		this.report.append("# Benchmarks\n\n");
		this.report.append("Measured by `mosec-benchmarks/run.sh` on ").append(LocalDate.now()).append(": ")
			.append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
			.append(", ").append(command("wrk", "--version").lines().findFirst().orElse("wrk").trim()).append(".\n\n");
		this.report.append("Every load run is `wrk -t1 -c<connections> -d").append(this.runTime.toSeconds())
			.append("s --latency` against 127.0.0.1 after a ").append(this.warmUp.toSeconds())
			.append(" s warm-up (").append(this.rewarm.toSeconds())
			.append(" s for a server that has run load already); the row shows the median of ").append(this.repeats)
			.append(" runs (by throughput). Ratios compare with the baseline measured in the same run. "
					+ "wrk shares the 2 cores with the server, as a client on the same machine would. "
					+ "CPU stolen is the share of the machine's CPU time the hypervisor gave elsewhere during "
					+ "the measured runs: a row with stolen time was measured on a slower machine.\n");
	}

	/**
	 * Each worker's batches of a stage, from the server's Prometheus metrics: how many, their
	 * mean size and their mean time in the worker. Says whether a slow row had small batches or
	 * slow ones.
	 */
	private String batches(Server server, String stage) throws Exception {
		String metrics = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		Pattern line = Pattern.compile("^mosec_service_(batch_size|process_duration_second)_(sum|count)"
				+ "\\{connection=\"(\\d+)\",stage=\"" + Pattern.quote(stage) + "\"} (\\S+)$", Pattern.MULTILINE);
		Map<String, Double> values = new TreeMap<>();
		Matcher matcher = line.matcher(metrics);
		while (matcher.find()) {
			values.put(matcher.group(3) + " " + matcher.group(1) + " " + matcher.group(2), Double.parseDouble(matcher.group(4)));
		}
		List<String> workers = new ArrayList<>();
		for (String worker : values.keySet().stream().map((key) -> key.split(" ")[0]).distinct().toList()) {
			double count = values.getOrDefault(worker + " batch_size count", 0.0);
			double size = values.getOrDefault(worker + " batch_size sum", 0.0);
			double seconds = values.getOrDefault(worker + " process_duration_second sum", 0.0);
			double forwards = values.getOrDefault(worker + " process_duration_second count", 0.0);
			workers.add(String.format(Locale.ROOT, "worker %s %,.0f batches of %.1f on average, %.1f ms each", worker,
					count, (count > 0) ? size / count : 0, (forwards > 0) ? 1000 * seconds / forwards : 0));
		}
		return workers.isEmpty() ? "n/a" : String.join("; ", workers);
	}

	/** The offline limit as the issue defines it: one JVM, 2 ONNX Runtime threads. */
	private double offline(String variant) throws Exception {
		return offline(variant, 1, 2, 32);
	}

	/**
	 * The median over the runs of what {@code processes} JVMs of {@code threads} threads embed
	 * together, in batches of {@code batchSize}.
	 */
	private double offline(String variant, int processes, int threads, int batchSize) throws Exception {
		List<Double> rates = new ArrayList<>();
		for (int i = 0; i < this.repeats; i++) {
			rates.add(offlineRun(variant, processes, threads, batchSize, i));
		}
		rates.sort(null);
		return rates.get(rates.size() / 2);
	}

	private double offlineRun(String variant, int processes, int threads, int batchSize, int run) throws Exception {
		List<Process> running = new ArrayList<>();
		List<Path> logs = new ArrayList<>();
		for (int i = 0; i < processes; i++) {
			Path log = this.work
				.resolve("offline-" + variant + "-" + processes + "x" + threads + "-b" + batchSize + "-" + run + "-" + i + ".log");
			Process process = new ProcessBuilder(java(), "@" + this.classpath.toAbsolutePath(),
					OfflineLimit.class.getName(), variant, Integer.toString(threads),
					Long.toString(Math.max(5, this.runTime.toSeconds())), Integer.toString(batchSize))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			this.started.add(process);
			running.add(process);
			logs.add(log);
		}
		double total = 0;
		for (int i = 0; i < processes; i++) {
			running.get(i).waitFor();
			Matcher matcher = Pattern.compile("sentences/s (\\d+\\.\\d+)").matcher(Files.readString(logs.get(i)));
			if (!matcher.find()) {
				throw new IllegalStateException("The offline limit printed no result; see " + logs.get(i));
			}
			total += Double.parseDouble(matcher.group(1));
		}
		return total;
	}

	private void jmh() throws Exception {
		Path json = this.work.resolve("jmh.json");
		String iterations = (this.repeats == 1) ? "1" : "3";
		Process process = new ProcessBuilder(java(), "@" + this.classpath.toAbsolutePath(), "org.openjdk.jmh.Main",
				"-f", "1", "-wi", iterations, "-i", iterations, "-w", "1s", "-r", "2s", "-rf", "json", "-rff",
				json.toString(), "io.mosec.bench.jmh")
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("jmh.log").toFile())
			.start();
		this.started.add(process);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("JMH failed; see " + this.work.resolve("jmh.log"));
		}
		this.report.append("| Benchmark | Tasks | Score | Error | Unit |\n|---|---|---|---|---|\n");
		for (JsonNode result : JsonMapper.builder().build().readTree(json.toFile())) {
			String name = result.get("benchmark").asText().replace("io.mosec.bench.jmh.", "");
			JsonNode params = result.path("params");
			String tasks = params.has("items") ? params.get("items").asText() : "1";
			JsonNode metric = result.get("primaryMetric");
			this.report.append("| ").append(name).append(" | ").append(tasks).append(" | ")
				.append(String.format(Locale.ROOT, "%.2f", metric.get("score").asDouble())).append(" | ")
				.append(String.format(Locale.ROOT, "± %.2f", metric.get("scoreError").asDouble())).append(" | ")
				.append(metric.get("scoreUnit").asText()).append(" |\n");
		}
	}

	private Server start(String name, String path, String body, List<String> mainAndArguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "@" + this.classpath.toAbsolutePath()));
		command.addAll(mainAndArguments);
		// The sample's application.yml is on this classpath too: these servers must not read it.
		command.add("--spring.config.name=benchmark");
		return launch(name, path, body, command);
	}

	private Server startJar(String name, String path, String body, List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "-jar", this.sampleJar.toString()));
		command.addAll(arguments);
		return launch(name, path, body, command);
	}

	private Server launch(String name, String path, String body, List<String> command) throws Exception {
		int port = ServerJvm.freePort();
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		Path log = this.work.resolve(name + ".log");
		System.out.println("Starting " + name + " on port " + port);
		ServerJvm jvm = ServerJvm.start(name, command, log, FIRST_ANSWER, ServerJvm.answers(port, path, body));
		this.started.add(jvm.process());
		return new Server(name, jvm.process(), port, log);
	}

	private Result load(Server server, String path, int connections, Path script) throws Exception {
		System.out.println("  " + server.name + ": " + connections + " connection(s)");
		wrk(server, path, connections, script, server.warmed ? this.rewarm : this.warmUp);
		server.warmed = true;
		List<Result> results = new ArrayList<>();
		Usage[] before = server.usage();
		long[] machineBefore = machineTicks();
		for (int i = 0; i < this.repeats; i++) {
			results.add(wrk(server, path, connections, script, this.runTime));
		}
		Usage[] after = server.usage();
		long[] machineAfter = machineTicks();
		long total = machineAfter[0] - machineBefore[0];
		double stolen = (total > 0) ? 100.0 * (machineAfter[1] - machineBefore[1]) / total : 0;
		long requests = results.stream().mapToLong(Result::requests).sum();
		results.sort(Comparator.comparingDouble((Result result) -> result.rps()));
		return results.get(results.size() / 2)
			.withCost(new Cost(after[0].minus(before[0]).per(requests), after[1].minus(before[1]).per(requests), stolen));
	}

	/**
	 * The machine's CPU ticks since boot, all and stolen (time the hypervisor gave this VM's
	 * CPUs to someone else), from /proc/stat: a run with stolen time measured a slower machine.
	 */
	private static long[] machineTicks() throws IOException {
		String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
		long total = 0;
		for (int i = 1; i < fields.length && i <= 8; i++) {
			total += Long.parseLong(fields[i]);
		}
		return new long[] { total, (fields.length > 8) ? Long.parseLong(fields[8]) : 0 };
	}

	private Result wrk(Server server, String path, int connections, Path script, Duration duration) throws Exception {
		String output = command("wrk", "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency",
				"-s", script.toString(), "http://127.0.0.1:" + server.port + path);
		return Result.parse(output);
	}

	private String command(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		this.started.add(process);
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor();
		return output;
	}

	private void stopAll() {
		for (Process process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	private Path luaFixed(String name, String body) throws IOException {
		return Files.writeString(this.work.resolve(name), "wrk.method = \"POST\"\nwrk.body = " + lua(body)
				+ "\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
	}

	private Path luaEmbeddings(String name, List<String> sentences) throws IOException {
		StringBuilder script = new StringBuilder("local bodies = {\n");
		for (String sentence : sentences) {
			script.append("  ").append(lua("{\"input\": \"" + sentence + "\", \"model\": \"all-minilm-l6-v2\"}"))
				.append(",\n");
		}
		script.append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
			.append("  return wrk.format(\"POST\", nil, {[\"Content-Type\"] = \"application/json\"}, ")
			.append("bodies[(i % #bodies) + 1])\nend\n");
		return Files.writeString(this.work.resolve(name), script);
	}

	private static String lua(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** A service's worker start times and resident memory, for section 5. */
	private record Started(String ready, String memory) {
	}

	/** A server under test; closing it sends SIGTERM, then kills whatever is left. */
	private static final class Server implements AutoCloseable {

		private static final Pattern READY = Pattern.compile("Stage '([^']+)' worker (\\d+) ready \\(pid \\d+, (\\d+) ms after launch\\)");

		private final String name;

		private final Process process;

		private final int port;

		private final Path log;

		/** Whether it has run load already, so its JIT has settled. */
		private boolean warmed;

		Server(String name, Process process, int port, Path log) {
			this.name = name;
			this.process = process;
			this.port = port;
			this.log = log;
		}

		String readyTimes() throws IOException {
			List<String> times = new ArrayList<>();
			Matcher matcher = READY.matcher(Files.readString(this.log));
			while (matcher.find()) {
				times.add(matcher.group(1) + "-" + matcher.group(2) + ": " + matcher.group(3) + " ms");
			}
			return times.isEmpty() ? "n/a" : String.join(", ", times);
		}

		/** The server's usage, then its workers' together. */
		Usage[] usage() {
			Usage workers = Usage.NONE;
			for (ProcessHandle child : this.process.toHandle().descendants().toList()) {
				workers = workers.plus(Usage.of(child.pid()));
			}
			return new Usage[] { Usage.of(this.process.pid()), workers };
		}

		String memory() throws IOException {
			List<String> parts = new ArrayList<>();
			parts.add("server " + rss(this.process.pid()));
			for (ProcessHandle child : this.process.toHandle().children().toList()) {
				parts.add("worker " + rss(child.pid()));
			}
			return String.join(", ", parts);
		}

		private static String rss(long pid) throws IOException {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					long kb = Long.parseLong(line.replaceAll("\\D", ""));
					return (kb / 1024) + " MB";
				}
			}
			return "?";
		}

		/** Stops the server with SIGTERM, as an operator would, and says how long it took to exit. */
		long stop() throws InterruptedException {
			long started = System.nanoTime();
			this.process.destroy();
			this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
			return (System.nanoTime() - started) / 1_000_000;
		}

		@Override
		public void close() throws InterruptedException {
			List<ProcessHandle> children = this.process.toHandle().descendants().toList();
			this.process.destroy();
			if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
			children.forEach(ProcessHandle::destroyForcibly);
		}

	}

}
