package io.mosec.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mosec.testing.ServerJvm;

/** A server under test; closing it sends SIGTERM, then kills whatever is left. */
final class StartupServer implements AutoCloseable {

static final Pattern READY = Pattern
	.compile("Stage '([^']+)' worker (\\d+) ready \\(pid (\\d+), (\\d+) ms after launch\\)");


	private final ServerJvm jvm;

	private final Path log;

	long readyMillis;

	StartupServer(ServerJvm jvm, Path log) {
		this.jvm = jvm;
		this.log = log;
	}

	/** The first ready worker's start, its CPU read now. */
	Measured worker() throws IOException {
		Matcher ready = READY.matcher(Files.readString(this.log));
		if (!ready.find()) {
			throw new IllegalStateException("no worker ready in " + this.log);
		}
		return new Measured(Long.parseLong(ready.group(4)), Measured.cpuSeconds(Long.parseLong(ready.group(3))));
	}

	/** Waits until the training worker has written the class data archive (up to 2 minutes). */
	void awaitTrained() throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!Files.readString(this.log).contains("trained its workers' class data archive")) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no class data archive trained; see " + this.log);
			}
			Thread.sleep(100);
		}
	}

	/** Kills the first worker with SIGKILL and measures its replacement's start. */
	Measured restartAfterKill() throws Exception {
		Matcher first = READY.matcher(Files.readString(this.log));
		first.find();
		long victim = Long.parseLong(first.group(3));
		int before = count(READY.matcher(Files.readString(this.log)));
		ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (true) {
			Matcher ready = READY.matcher(Files.readString(this.log));
			List<String[]> lines = new ArrayList<>();
			while (ready.find()) {
				lines.add(new String[] { ready.group(3), ready.group(4) });
			}
			if (lines.size() > before) {
				String[] last = lines.get(lines.size() - 1);
				return new Measured(Long.parseLong(last[1]), Measured.cpuSeconds(Long.parseLong(last[0])));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no worker ready again after the kill; see " + this.log);
			}
			Thread.sleep(20);
		}
	}

	private static int count(Matcher matcher) {
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	/** SIGTERM, as an orchestrator stops it, then whatever is left is killed. */
	@Override
	public void close() throws InterruptedException {
		this.jvm.terminate(Duration.ofSeconds(30));
		this.jvm.close();
	}

}
