package io.mosec.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The interpreter the Python tests use: {@code /usr/bin/python3} (Debian's, where
 * {@code python3-msgpack}, {@code python3-pytest}, {@code python3-torch} and the rest install),
 * or {@code -Dmosec.test.python}.
 * CI installs it and sets {@code MOSEC_REQUIRE_PYTHON=1}, so that there a missing interpreter
 * fails the tests; elsewhere (a machine with only a JDK) they are not run, and say why.
 */
public final class Python {

	public static final String INTERPRETER = System.getProperty("mosec.test.python", "/usr/bin/python3");

	/**
	 * The server's interpreter property for a {@code @SpringBootTest}: the same interpreter, as a
	 * constant an annotation can hold (the placeholder reads {@code -Dmosec.test.python}).
	 */
	public static final String INTERPRETER_PROPERTY = "mosec.python.interpreter=${mosec.test.python:/usr/bin/python3}";

	private Python() {
	}

	/**
	 * The interpreter, once it is known to import these modules.
	 * @param modules the modules the test needs
	 * @return the interpreter
	 */
	public static String withModules(String... modules) {
		String missing = missing(modules);
		if (missing != null) {
			String why = INTERPRETER + " cannot import " + missing + ": apt-get install python3 "
					+ Stream.of(modules).map((module) -> "python3-" + module).collect(Collectors.joining(" "))
					+ ", or run with -Dmosec.test.python=<an interpreter that has them>";
			if ("1".equals(System.getenv("MOSEC_REQUIRE_PYTHON"))) {
				throw new IllegalStateException(why);
			}
			Assumptions.abort(why);
		}
		return INTERPRETER;
	}

	private static String missing(String... modules) {
		try {
			Process process = new ProcessBuilder(INTERPRETER, "-c", "import " + String.join(", ", modules))
				.redirectErrorStream(true)
				.start();
			process.getInputStream().readAllBytes();
			if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
				return null;
			}
			process.destroyForcibly();
			return List.of(modules).toString();
		}
		catch (IOException ex) {
			return "anything (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "anything (interrupted)";
		}
	}

}
