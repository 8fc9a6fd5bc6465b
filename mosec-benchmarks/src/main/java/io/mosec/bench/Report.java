package io.mosec.bench;

import java.util.List;
import java.util.Locale;

/**
 * The Markdown report the suite writes: sections, tables of wrk results, cost rows and goals,
 * each with its ratio and whether it was met.
 */
final class Report {

	private final StringBuilder text = new StringBuilder();

	/** The heading: the machine, the JVM, wrk, and how every run was made. */
	void header(Servers servers) throws java.io.IOException, InterruptedException {
		this.text.append("# Benchmarks\n\n");
		this.text.append("Measured by `mosec-benchmarks/run.sh` on ").append(java.time.LocalDate.now()).append(": ")
			.append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
			.append(", ").append(servers.command("wrk", "--version").lines().findFirst().orElse("wrk").trim()).append(".\n\n");
		this.text.append("Every load run is `wrk -t1 -c<connections> -d").append(servers.runTime.toSeconds())
			.append("s --latency` against 127.0.0.1 after a ").append(servers.warmUp.toSeconds())
			.append(" s warm-up (").append(servers.rewarm.toSeconds())
			.append(" s for a server that has run load already); the row shows the median of ").append(servers.repeats)
			.append(" runs (by throughput). Ratios compare with the baseline measured in the same run. "
					+ "wrk shares the 2 cores with the server, as a client on the same machine would. "
					+ "CPU stolen is the share of the machine's CPU time the hypervisor gave elsewhere during "
					+ "the measured runs: a row with stolen time was measured on a slower machine.\n");
	}

	Report append(Object part) {
		this.text.append(part);
		return this;
	}

	void section(String title, String text) {
		this.text.append("\n## ").append(title).append("\n\n").append(text).append("\n\n");
	}

	void table(List<String[]> rows) {
		this.text.append("| Server | Connections | req/s | p50 ms | p99 ms | Ratio to baseline | Errors | CPU stolen |\n");
		this.text.append("|---|---|---|---|---|---|---|---|\n");
		for (String[] row : rows) {
			this.text.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
	}

	void costRow(String name, Result result) {
		Cost cost = result.cost();
		this.text.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f | %.2f |%n", name, fmt(result.rps()),
				cost.server().cpu(), cost.workers().cpu(), cost.server().switches(), cost.workers().switches()));
	}

	void goal(String goal, double measured, double target, boolean atLeast) {
		boolean met = atLeast ? measured >= target : measured <= target;
		this.text.append(String.format(Locale.ROOT, "%n- Goal: %s. Measured %.2f: **%s**.", goal, measured,
				met ? "met" : "missed"));
		if (goal.contains("p99") || goal.contains("p50") || !this.text.toString().endsWith("\n")) {
			this.text.append('\n');
		}
	}

	static String[] row(String name, int connections, Result result, Result baseline) {
		return new String[] { name, Integer.toString(connections), fmt(result.rps()), fmt2(result.p50()),
				fmt2(result.p99()), fmt2(result.rps() / baseline.rps()) + "x", result.errors(), stolen(result) };
	}

	static String stolen(Result result) {
		return String.format(Locale.ROOT, "%.1f %%", result.cost().stolenPercent());
	}

	static String fmt(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	static String fmt2(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

}
