package io.mosec.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A start: time from launch to ready, and the CPU used until then (a worker's, or the floor's). */
record Measured(long millis, double cpu) {

	/** CPU seconds (user and system) a process has used, from /proc; NaN once it has gone. */
	static double cpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime, in clock ticks of 10 ms (Linux's USER_HZ of 100).
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%,d ms, %.2f s CPU", this.millis, this.cpu);
	}

}
