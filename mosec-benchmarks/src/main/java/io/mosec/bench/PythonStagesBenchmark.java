package io.mosec.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mosec.bench.echo.MosecEchoApplication;

/**
 * 6. Python stages beside Java ones, in one run: the echo stage in Python against the Java
 * process-mode echo, batching with a Python stage, and how soon a trivial worker of each is ready.
 */
final class PythonStagesBenchmark {

	/** Debian's interpreter, where run.sh installs python3-msgpack. */
	static final String PYTHON = "/usr/bin/python3";

	private static final Pattern FIRST_READY = Pattern.compile("worker 1 ready \\(pid \\d+, (\\d+) ms after launch\\)");

	private final Servers servers;

	private final Report report;

	PythonStagesBenchmark(Servers servers, Report report) {
		this.servers = servers;
		this.report = report;
	}

	void run(String echoBody, Path echoScript) throws Exception {
		String stages = Path.of("mosec-benchmarks", "python", "bench_stages.py").toAbsolutePath().toString();
		Result java64;
		Result java1;
		long javaReady;
		try (BenchServer java = this.servers.start("java-echo", "/echo", echoBody, List.of(
				MosecEchoApplication.class.getName(), "--mosec.worker.mode=process", "--mosec.routes[0].path=/echo",
				"--mosec.routes[0].stages=echo"))) {
			java64 = this.servers.load(java, "/echo", 64, echoScript);
			java1 = this.servers.load(java, "/echo", 1, echoScript);
			javaReady = firstReady(java);
		}
		Result python64;
		Result python1;
		long pythonReady;
		try (BenchServer python = this.servers.start("python-echo", "/echo", echoBody, List.of(
				MosecEchoApplication.class.getName(), "--mosec.python.interpreter=" + PYTHON,
				"--mosec.stages.py-echo.python=" + stages + ":Echo", "--mosec.stages.py-echo.num=2",
				"--mosec.routes[0].path=/echo", "--mosec.routes[0].stages=py-echo"))) {
			python64 = this.servers.load(python, "/echo", 64, echoScript);
			python1 = this.servers.load(python, "/echo", 1, echoScript);
			pythonReady = firstReady(python);
		}
		Result sleep;
		String batches;
		try (BenchServer python = this.servers.start("python-sleep", "/sleep", echoBody, List.of(
				MosecEchoApplication.class.getName(), "--mosec.python.interpreter=" + PYTHON,
				"--mosec.stages.py-sleep.python=" + stages + ":SleepBatch", "--mosec.stages.py-sleep.num=2",
				"--mosec.stages.py-sleep.max-batch-size=32", "--mosec.routes[0].path=/sleep",
				"--mosec.routes[0].stages=py-sleep"))) {
			sleep = this.servers.load(python, "/sleep", 256, echoScript);
			batches = this.servers.batches(python, "py-sleep");
		}
		this.report.section("6. Python stages",
				"The echo stage as a Python class (bytes in and out, 2 workers) against the Java echo stage in "
						+ "process mode (2 workers), then a Python stage that costs 20 ms per batch of up to 32 (2 "
						+ "workers, 256 connections, ideal 3,200 req/s). Interpreter " + PYTHON + ".");
		this.report.table(List.of(Report.row("Java echo stage, process mode (baseline)", 64, java64, java64),
				Report.row("Python echo stage", 64, python64, java64),
				Report.row("Java echo stage, process mode (baseline)", 1, java1, java1),
				Report.row("Python echo stage", 1, python1, java1),
				new String[] { "Python sleep stage, batches of up to 32", "256", Report.fmt(sleep.rps()),
						Report.fmt2(sleep.p50()), Report.fmt2(sleep.p99()), Report.fmt2(sleep.rps() / 3200) + " of ideal",
						sleep.errors(), Report.stolen(sleep) }));
		this.report.append("\nBatches of the Python sleep stage: ").append(batches).append(".\n");
		this.report.append("\nFirst worker ready, from launch (the server's log): Java echo worker " + javaReady
				+ " ms, Python echo worker " + pythonReady + " ms.\n");
		this.report.goal("Python echo at 64 connections at least 0.7 of the Java process-mode echo",
				python64.rps() / java64.rps(), 0.7, true);
		this.report.goal("Python echo p50 at 1 connection at most 1.3x the Java stage's", python1.p50() / java1.p50(), 1.3,
				false);
		this.report.goal("batching with a Python stage at least 0.9 of ideal", sleep.rps() / 3200, 0.9, true);
		this.report.goal("a trivial Python worker ready in at most half the time of a trivial Java worker",
				(double) pythonReady / javaReady, 0.5, false);
	}

	private static long firstReady(BenchServer server) throws java.io.IOException {
		Matcher matcher = FIRST_READY.matcher(java.nio.file.Files.readString(server.log));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

}
