package io.mosec.spring.python;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.mosec.testing.Python;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python package's own tests (pytest, {@code src/test/python}), run by the build: frames,
 * codecs, the error table, warm-up, and a worker process as the server sees it.
 */
class PythonRuntimeUnitTests {

	@Test
	void passesItsPytestSuite() throws Exception {
		String python = Python.withModules("msgpack", "pytest");
		ProcessBuilder builder = new ProcessBuilder(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "src/test/python")
			.directory(Path.of("").toAbsolutePath().toFile())
			.redirectErrorStream(true);
		// No __pycache__ in the sources.
		builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains(" passed");
	}

}
