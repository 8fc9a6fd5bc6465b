package io.mosec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user and system, in clock ticks of 10 ms, or per request in microseconds) and
 * context switches (voluntary and not) of processes, from /proc.
 */
record Usage(double cpu, double switches) {

	static final Usage NONE = new Usage(0, 0);

	Usage plus(Usage other) {
		return new Usage(this.cpu + other.cpu, this.switches + other.switches);
	}

	Usage minus(Usage other) {
		return new Usage(this.cpu - other.cpu, this.switches - other.switches);
	}

	/** Per request: CPU in microseconds (a tick is 10 ms, Linux's USER_HZ of 100). */
	Usage per(long requests) {
		return (requests == 0) ? NONE : new Usage(this.cpu * 10_000 / requests, this.switches / requests);
	}

	static Usage of(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			double cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			double switches = 0;
			try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
				for (Path task : tasks.toList()) {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.contains("ctxt_switches:")) {
							switches += Long.parseLong(line.replaceAll("\\D", ""));
						}
					}
				}
			}
			return new Usage(cpu, switches);
		}
		catch (IOException | RuntimeException ex) {
			// A process or thread that ended in the meantime.
			return NONE;
		}
	}

}
