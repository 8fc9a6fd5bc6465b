package io.mosec.spring.reliability;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady load for a bounded time ({@link Reliability#soak()}): open file descriptors of the server
 * and of each worker, sampled from {@code /proc}, must not creep; resident memory is reported and
 * must stay within a bound that a leak breaks but heap sizing does not (every JVM here runs with
 * {@code -Xmx256m}: twice the post-warm-up size plus 64 MB).
 */
class SoakTests {

	@TempDir
	Path temp;

	@Test
	void holdsMemoryAndFileDescriptorsSteadyUnderSteadyLoad() throws Exception {
		Duration soak = Reliability.soak();
		try (ServerProcess server = ServerProcess.start(this.temp)) {
			Map<String, Long> pids = new LinkedHashMap<>();
			pids.put("server", server.process.pid());
			for (int i = 0; i < server.workers.size(); i++) {
				pids.put("worker " + (i + 1), server.workers.get(i).pid());
			}
			Load load = Load.start(URI.create("http://127.0.0.1:" + server.port + "/echo"), 8, 0,
					() -> "{\"value\": 1}", () -> Duration.ofSeconds(10));
			Map<String, List<long[]>> samples = new LinkedHashMap<>();
			pids.keySet().forEach((name) -> samples.put(name, new ArrayList<>()));
			long interval = Math.max(1000, soak.toMillis() / 20);
			long end = System.nanoTime() + soak.toNanos();
			try {
				while (System.nanoTime() < end) {
					Thread.sleep(interval);
					for (Map.Entry<String, Long> pid : pids.entrySet()) {
						samples.get(pid.getKey()).add(new long[] { residentKb(pid.getValue()), openFiles(pid.getValue()) });
					}
				}
			}
			finally {
				load.stop();
			}
			assertThat(load.outcomes().keySet()).as("no answer: " + load.failures()).containsOnly(200);
			for (Map.Entry<String, List<long[]>> process : samples.entrySet()) {
				List<long[]> series = process.getValue();
				// The first quarter is warm-up (JIT, heap sizing); growth is measured after it.
				long[] first = series.get(series.size() / 4);
				long[] last = series.get(series.size() - 1);
				long maxFiles = series.stream().mapToLong((sample) -> sample[1]).max().orElseThrow();
				assertThat(last[1] - first[1]).as("open files of the " + process.getKey()).isLessThanOrEqualTo(8);
				long maxResidentKb = series.stream().mapToLong((sample) -> sample[0]).max().orElseThrow();
				assertThat(maxResidentKb).as("resident kB of the " + process.getKey())
					.isLessThanOrEqualTo(2 * first[0] + 64 * 1024);
				Reliability.figure("soak " + soak.toMinutes() + " min " + soak.toSecondsPart() + " s, " + load.total()
						+ " requests", process.getKey(), "RSS " + first[0] / 1024 + " -> " + last[0] / 1024 + " MB ("
								+ percent(first[0], last[0]) + "), open files " + first[1] + " -> " + last[1] + " (max "
								+ maxFiles + ")");
			}
		}
	}

	private static String percent(long from, long to) {
		return String.format("%+.1f %%", 100.0 * (to - from) / from);
	}

	private static long residentKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		throw new IllegalStateException("no VmRSS for " + pid);
	}

	private static long openFiles(long pid) throws IOException {
		try (Stream<Path> files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return files.count();
		}
	}

}
