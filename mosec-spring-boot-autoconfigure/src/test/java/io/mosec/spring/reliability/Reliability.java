package io.mosec.spring.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The size of the reliability runs: a fast form for every build, and the long form behind
 * {@code -Preliability} (system property {@code mosec.reliability.long=true}), whose figures go
 * into RELIABILITY.md. Each figure is printed and appended to
 * {@code target/reliability-figures.md}.
 */
final class Reliability {

	static final boolean LONG = Boolean.getBoolean("mosec.reliability.long");

	private static final Path FIGURES = Path.of("target", "reliability-figures.md");

	private Reliability() {
	}

	/** Requests of the chaos run: 10,000 in the long form. */
	static int chaosRequests() {
		return Integer.getInteger("mosec.reliability.chaos-requests", LONG ? 10_000 : 1_000);
	}

	/** Worker kills in a row: 10 in the long form. */
	static int workerKills() {
		return Integer.getInteger("mosec.reliability.worker-kills", LONG ? 10 : 3);
	}

	/** Duration of the soak: 10 minutes in the long form, a smoke test of 10 s in every build. */
	static Duration soak() {
		return Duration.parse(System.getProperty("mosec.reliability.soak", LONG ? "PT10M" : "PT10S"));
	}

	/**
	 * Records one figure of a run.
	 * @param test the run
	 * @param figure what was measured
	 * @param value the value
	 */
	static void figure(String test, String figure, Object value) {
		String row = "| " + test + " | " + figure + " | " + value + " |";
		System.out.println("RELIABILITY " + row);
		try {
			Files.createDirectories(FIGURES.getParent());
			Files.writeString(FIGURES, row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
