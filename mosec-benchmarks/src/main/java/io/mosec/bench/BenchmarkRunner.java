package io.mosec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * {@code --startup-only} (section 5's start-up tables alone) or {@code --stage-meters-only}
 * (section 1b alone) or {@code --python-only} (sections 6 and 6b alone).
 */
public final class BenchmarkRunner {

	private static final String ECHO_BODY = "{\"model\":\"echo\",\"input\":\"The quick brown fox jumps over the dog.\"}";

	private final Servers servers;

	private final Report report = new Report();

	/** When the echo service's and the sample's workers were ready, and their memory after load (sections 1, 3). */
	private Started echo;

	private Started sample;

	private BenchmarkRunner(Servers servers) {
		this.servers = servers;
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
		BenchmarkRunner runner = new BenchmarkRunner(new Servers(work, classpathFile, sampleJar, quick));
		Runtime.getRuntime().addShutdownHook(new Thread(runner.servers::stopAll));
		try {
			if (List.of(args).contains("--python-only")) {
				runner.report.header(runner.servers);
				new PythonStagesBenchmark(runner.servers, runner.report).run(ECHO_BODY, runner.servers.luaFixed("echo.lua", ECHO_BODY));
				new TorchSampleBenchmark(runner.servers, runner.report)
					.run(runner.servers.luaEmbeddings("embeddings.lua", Sentences.corpus(1024)));
			}
			else if (List.of(args).contains("--stage-meters-only")) {
				runner.report.header(runner.servers);
				runner.stageMeters(runner.servers.luaFixed("echo.lua", ECHO_BODY));
			}
			else if (List.of(args).contains("--startup-only")) {
				// Section 5's start-up tables alone, a few minutes: for work on worker start.
				runner.report.header(runner.servers);
				runner.startupAndMemory();
			}
			else {
				runner.run();
			}
		}
		finally {
			runner.servers.stopAll();
		}
		Path analysis = Path.of("mosec-benchmarks", "ANALYSIS.md");
		if (Files.exists(analysis)) {
			runner.report.append(Files.readString(analysis));
		}
		Files.writeString(output, runner.report.toString());
		System.out.println("Wrote " + output.toAbsolutePath());
	}

	private void run() throws Exception {
		Path echoScript = this.servers.luaFixed("echo.lua", ECHO_BODY);
		Path embedScript = this.servers.luaEmbeddings("embeddings.lua", Sentences.corpus(1024));
		this.report.header(this.servers);

		overhead(echoScript);
		stageMeters(echoScript);
		batching(echoScript);
		realModel(embedScript);
		ipc();
		startupAndMemory();
		new PythonStagesBenchmark(this.servers, this.report).run(ECHO_BODY, echoScript);
		new TorchSampleBenchmark(this.servers, this.report).run(embedScript);
	}

	/** 1. What the starter costs a request: echo against bare WebFlux. */
	private void overhead(Path echoScript) throws Exception {
		Result bare64;
		Result bare1;
		try (BenchServer bare = this.servers.start("bare", "/echo", ECHO_BODY, List.of(BareEchoApplication.class.getName()))) {
			bare64 = this.servers.load(bare, "/echo", 64, echoScript);
			bare1 = this.servers.load(bare, "/echo", 1, echoScript);
		}
		List<String> echoRoute = List.of("--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=echo");
		Result thread64;
		Result thread1;
		try (BenchServer thread = this.servers.start("mosec-thread", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=thread"), echoRoute))) {
			thread64 = this.servers.load(thread, "/echo", 64, echoScript);
			thread1 = this.servers.load(thread, "/echo", 1, echoScript);
		}
		Result process64;
		Result process1;
		try (BenchServer process = this.servers.start("mosec-process", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process"), echoRoute))) {
			process64 = this.servers.load(process, "/echo", 64, echoScript);
			process1 = this.servers.load(process, "/echo", 1, echoScript);
			this.echo = new Started(process.readyTimes(), process.memory());
		}
		Result processNoMetrics64;
		try (BenchServer process = this.servers.start("mosec-process-no-metrics", "/echo", ECHO_BODY,
				concat(List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process",
						// Meters off (Mosec's families too) and, since that leaves it running, the HTTP observation.
						"--management.metrics.enable.all=false",
						"--management.observations.enable.http.server.requests()=false"), echoRoute))) {
			processNoMetrics64 = this.servers.load(process, "/echo", 64, echoScript);
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

	/**
	 * 1b. What a meter that the stage records costs: the echo stage against the same stage with a
	 * counter it increments per request, which its workers send to the server twice a second.
	 * Alternated, twice each, so that a drift of the machine touches both.
	 */
	private void stageMeters(Path echoScript) throws Exception {
		List<Result> plain = new ArrayList<>();
		List<Result> counted = new ArrayList<>();
		for (int round = 1; round <= 2; round++) {
			for (String stage : List.of("echo", "counted")) {
				try (BenchServer server = this.servers.start("mosec-" + stage + "-" + round, "/echo", ECHO_BODY,
						List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process",
								"--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=" + stage))) {
					Result result = this.servers.load(server, "/echo", 64, echoScript);
					(stage.equals("echo") ? plain : counted).add(result);
					if (stage.equals("counted")) {
						String scrape = this.servers.get(server, "/actuator/prometheus");
						if (!scrape.contains("echo_requests_total{stage=\"counted\"")) {
							throw new IllegalStateException("the stage's counter is not on the server's scrape");
						}
					}
				}
			}
		}
		this.report.section("1b. A meter the stage records: echo, process mode",
				"The echo stage against the same stage incrementing a counter of its own per request (injected "
						+ "`MeterRegistry`), which each worker sends to the server twice a second and the server "
						+ "publishes tagged `stage` and `worker`; run alternately, twice each, 64 connections.");
		List<String[]> rows = new ArrayList<>();
		for (int i = 0; i < plain.size(); i++) {
			rows.add(Report.row("echo, no stage meter (baseline), run " + (i + 1), 64, plain.get(i), plain.get(i)));
			rows.add(Report.row("echo with a counter per request, run " + (i + 1), 64, counted.get(i), plain.get(i)));
		}
		this.report.table(rows);
		this.report.append("\nCPU per request, from /proc over the measured runs: a counter in the stage should cost the "
				+ "workers nanoseconds, and its snapshots (twice a second) the server next to nothing.\n\n");
		this.report.append("| Server | req/s | server CPU µs/req | workers CPU µs/req | server switches/req | "
				+ "workers switches/req |\n|---|---|---|---|---|---|\n");
		for (int i = 0; i < plain.size(); i++) {
			this.report.costRow("echo, no stage meter, run " + (i + 1), plain.get(i));
			this.report.costRow("echo with a counter per request, run " + (i + 1), counted.get(i));
		}
		double ratio = counted.stream().mapToDouble(Result::rps).sum() / plain.stream().mapToDouble(Result::rps).sum();
		this.report.goal("throughput with a stage-recorded counter at least 0.95 of without (sum of the runs)", ratio,
				0.95, true);
	}

	/** 2. How close batching comes to its ideal. */
	private void batching(Path echoScript) throws Exception {
		Result sleep;
		String sleepBatches;
		try (BenchServer batching = this.servers.start("mosec-sleep", "/sleep", ECHO_BODY,
				List.of(MosecEchoApplication.class.getName(), "--mosec.worker.mode=process",
						"--mosec.routes[0].path=/sleep", "--mosec.routes[0].stages=sleep"))) {
			sleep = this.servers.load(batching, "/sleep", 256, echoScript);
			sleepBatches = this.servers.batches(batching, "sleep");
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
		try (BenchServer server = this.servers.start("naive", "/v1/embeddings", embedBody,
				List.of(NaiveEmbeddingApplication.class.getName()))) {
			for (int connections : new int[] { 1, 8, 32 }) {
				naive.add(this.servers.load(server, "/v1/embeddings", connections, embedScript));
			}
		}
		List<Result> quantized = new ArrayList<>();
		String sampleBatches;
		try (BenchServer server = this.servers.startJar("sample-quantized", "/v1/embeddings", embedBody,
				List.of("--embedding.variant=quantized"))) {
			for (int connections : new int[] { 1, 8, 32 }) {
				quantized.add(this.servers.load(server, "/v1/embeddings", connections, embedScript));
			}
			this.sample = new Started(server.readyTimes(), server.memory());
			sampleBatches = this.servers.batches(server, "embed");
		}
		List<Result> fp32 = new ArrayList<>();
		try (BenchServer server = this.servers.startJar("sample-fp32", "/v1/embeddings", embedBody, List.of())) {
			for (int connections : new int[] { 1, 8, 32 }) {
				fp32.add(this.servers.load(server, "/v1/embeddings", connections, embedScript));
			}
		}
		double offlineQuantized = this.servers.offline("QUANTIZED");
		double offlineFp32 = this.servers.offline("FP32");
		double twoSingleThreadQuantized = this.servers.offline("QUANTIZED", 2, 1, 32);
		double twoSingleThreadUnbatched = this.servers.offline("QUANTIZED", 2, 1, 1);
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
		this.report.append(StartupBenchmark.ofThisBuild(this.servers.work, Servers.java(), this.servers.sampleJar,
				this.servers.started::add).run());
		this.report.append("\n");
	}

	private void jmh() throws Exception {
		this.report.append("| Benchmark | Tasks | Score | Error | Unit |\n|---|---|---|---|---|\n");
		for (JsonNode result : JsonMapper.builder().build().readTree(this.servers.jmh().toFile())) {
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

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** A service's worker start times and resident memory, for section 5. */
	private record Started(String ready, String memory) {
	}

}
