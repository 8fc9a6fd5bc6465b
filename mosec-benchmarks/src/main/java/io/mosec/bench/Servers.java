package io.mosec.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mosec.testing.ServerJvm;

/**
 * What the suite runs: servers started on 127.0.0.1 and driven by wrk, the offline limit's JVMs,
 * JMH; every process it starts it also ends ({@link #stopAll()}), whatever happens.
 */
public final class Servers {

	/** How long a server the suite starts may take to answer its first request. */
	public static final Duration FIRST_ANSWER = Duration.ofMinutes(3);

	final Path work;

	final Path classpath;

	final Path sampleJar;

	final Duration runTime;

	final Duration warmUp;

	/** The warm-up of a server that has run load already, at another number of connections. */
	final Duration rewarm;

	final int repeats;

	final List<Process> started = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	Servers(Path work, Path classpath, Path sampleJar, boolean quick) {
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

	/**
	 * Each worker's batches of a stage, from the server's Prometheus metrics: how many, their
	 * mean size and their mean time in the worker. Says whether a slow row had small batches or
	 * slow ones.
	 */
	String batches(BenchServer server, String stage) throws Exception {
		String metrics = get(server, "/actuator/prometheus");
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


	/** A GET of a running server's path: its body. */
	String get(BenchServer server, String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	/** The offline limit as the issue defines it: one JVM, 2 ONNX Runtime threads. */
	double offline(String variant) throws Exception {
		return offline(variant, 1, 2, 32);
	}


	/**
	 * The median over the runs of what {@code processes} JVMs of {@code threads} threads embed
	 * together, in batches of {@code batchSize}.
	 */
	double offline(String variant, int processes, int threads, int batchSize) throws Exception {
		List<Double> rates = new ArrayList<>();
		for (int i = 0; i < this.repeats; i++) {
			rates.add(offlineRun(variant, processes, threads, batchSize, i));
		}
		rates.sort(null);
		return rates.get(rates.size() / 2);
	}


	double offlineRun(String variant, int processes, int threads, int batchSize, int run) throws Exception {
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


	BenchServer start(String name, String path, String body, List<String> mainAndArguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "@" + this.classpath.toAbsolutePath()));
		command.addAll(mainAndArguments);
		// The sample's application.yml is on this classpath too: these servers must not read it.
		command.add("--spring.config.name=benchmark");
		return launch(name, path, body, command);
	}


	BenchServer startJar(String name, String path, String body, List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "-jar", this.sampleJar.toString()));
		command.addAll(arguments);
		return launch(name, path, body, command);
	}


	BenchServer launch(String name, String path, String body, List<String> command) throws Exception {
		int port = ServerJvm.freePort();
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		Path log = this.work.resolve(name + ".log");
		System.out.println("Starting " + name + " on port " + port);
		ServerJvm jvm = ServerJvm.start(name, command, log, FIRST_ANSWER, ServerJvm.answers(port, path, body));
		this.started.add(jvm.process());
		return new BenchServer(name, jvm, port, log);
	}


	Result load(BenchServer server, String path, int connections, Path script) throws Exception {
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


	Result wrk(BenchServer server, String path, int connections, Path script, Duration duration) throws Exception {
		String output = command("wrk", "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency",
				"-s", script.toString(), "http://127.0.0.1:" + server.port + path);
		return Result.parse(output);
	}


	String command(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		this.started.add(process);
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor();
		return output;
	}


	void stopAll() {
		for (Process process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}


	Path luaFixed(String name, String body) throws IOException {
		return Files.writeString(this.work.resolve(name), "wrk.method = \"POST\"\nwrk.body = " + lua(body)
				+ "\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
	}


	Path luaEmbeddings(String name, List<String> sentences) throws IOException {
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


	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** Runs the JMH benchmarks of {@code io.mosec.bench.jmh}; returns their results as JSON. */
	Path jmh() throws IOException, InterruptedException {
		Path json = this.work.resolve("jmh.json");
		String iterations = (this.repeats == 1) ? "1" : "3";
		Process process = new ProcessBuilder(java(), "@" + this.classpath.toAbsolutePath(), "org.openjdk.jmh.Main", "-f",
				"1", "-wi", iterations, "-i", iterations, "-w", "1s", "-r", "2s", "-rf", "json", "-rff", json.toString(),
				"io.mosec.bench.jmh")
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("jmh.log").toFile())
			.start();
		this.started.add(process);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("JMH failed; see " + this.work.resolve("jmh.log"));
		}
		return json;
	}

}
