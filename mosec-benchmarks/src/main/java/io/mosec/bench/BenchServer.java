package io.mosec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mosec.testing.ServerJvm;

/** A server under test; closing it sends SIGTERM, then kills whatever is left. */
final class BenchServer implements AutoCloseable {

	private static final Pattern READY = Pattern.compile("Stage '([^']+)' worker (\\d+) ready \\(pid \\d+, (\\d+) ms after launch\\)");

	final String name;

	final Process process;

	private final ServerJvm jvm;

	final int port;

	final Path log;

	/** Whether it has run load already, so its JIT has settled. */
	boolean warmed;

	BenchServer(String name, ServerJvm jvm, int port, Path log) {
		this.jvm = jvm;
		this.name = name;
		this.process = jvm.process();
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

	/** SIGTERM, as an orchestrator stops it, then whatever is left is killed. */
	@Override
	public void close() throws InterruptedException {
		this.jvm.terminate(Duration.ofSeconds(30));
		this.jvm.close();
	}

}
