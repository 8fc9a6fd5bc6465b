package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.PythonStage;
import io.mosec.spring.stage.StageDefinition;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Python stages' workers: the {@code mosec} package that this jar ships (Mosec's Python API,
 * our implementation), copied once into the server's private directory and put first on the
 * workers' {@code PYTHONPATH}, so that Debian's {@code python3} with {@code python3-msgpack} is
 * all a Python stage needs.
 */
public final class PythonRuntime {

	/** Where the package lies on the classpath. */
	static final String PACKAGE_LOCATION = "META-INF/mosec/python/";

	private static final long PROBE_SECONDS = 120;

	private final String interpreter;

	private final Path home;

	private PythonRuntime(String interpreter, Path home) {
		this.interpreter = interpreter;
		this.home = home;
	}

	/**
	 * Copies the {@code mosec} package into a directory.
	 * @param interpreter the interpreter of Python stages ({@code mosec.python.interpreter})
	 * @param directory an owner-only directory of the server's: the package goes under it
	 * @return the runtime
	 */
	public static PythonRuntime extract(String interpreter, Path directory) {
		Path home = directory.resolve("python");
		try {
			Resource[] files = new PathMatchingResourcePatternResolver(PythonRuntime.class.getClassLoader())
				.getResources("classpath*:" + PACKAGE_LOCATION + "mosec/**/*.py");
			for (Resource file : files) {
				String url = file.getURL().toString();
				Path target = home.resolve(url.substring(url.lastIndexOf(PACKAGE_LOCATION) + PACKAGE_LOCATION.length()));
				Files.createDirectories(target.getParent());
				try (InputStream in = file.getInputStream()) {
					Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			if (files.length == 0) {
				throw new IllegalStateException("the mosec Python package is missing from the classpath");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot copy the mosec Python package to " + home, ex);
		}
		return new PythonRuntime(interpreter, home);
	}

	/**
	 * Asks the interpreter about a stage's class before any worker starts: that it loads, with
	 * what it imports, and what it is. Startup stops at once, naming the stage, the interpreter
	 * and the fix, instead of waiting for workers that cannot start.
	 * @param stage the stage name
	 * @param target its class ({@code mosec.stages.<name>.python})
	 * @return what the stage is
	 * @throws MosecConfigurationException if it cannot run
	 */
	public PythonStage probe(String stage, String target) {
		String property = "mosec.stages." + stage + ".python=" + target;
		// One stream: what the class prints on import cannot fill a pipe nobody reads.
		ProcessBuilder builder = command(List.of("-m", "mosec._probe", target)).redirectErrorStream(true);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new MosecConfigurationException("Stage '" + stage + "' is a Python stage (" + property
					+ "), but its interpreter '" + this.interpreter + "' cannot be started (" + ex.getMessage()
					+ "): install Python 3, or set mosec.python.interpreter to an interpreter's path.");
		}
		try {
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new MosecConfigurationException("Stage '" + stage + "' (" + property + ") did not load within "
						+ PROBE_SECONDS + " s with interpreter '" + this.interpreter + "'.");
			}
			if (process.exitValue() != 0) {
				throw new MosecConfigurationException("Stage '" + stage + "' (" + property + ") cannot run with "
						+ "interpreter '" + this.interpreter + "' (mosec.python.interpreter): "
						+ (out.isEmpty() ? "it exited with " + process.exitValue() : lastLine(out)));
			}
			JsonNode described = JsonMapper.builder().build().readTree(lastLine(out));
			return new PythonStage(target, described.path("mime").asText("application/json"),
					described.path("streaming").asBoolean());
		}
		catch (IOException ex) {
			throw new MosecConfigurationException("Stage '" + stage + "' (" + property + ") could not be asked about "
					+ "with interpreter '" + this.interpreter + "': " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IllegalStateException("Interrupted while asking about stage '" + stage + "'", ex);
		}
	}

	/**
	 * The commands of a Python stage's workers.
	 * @param stage the stage
	 * @param socket its socket
	 * @return the commands
	 */
	public WorkerCommands commands(StageDefinition stage, Path socket) {
		return (workerId) -> {
			ProcessBuilder builder = command(List.of("-m", "mosec._worker", "--target", stage.python().target(),
					"--stage", stage.name(), "--worker-id", Integer.toString(workerId), "--max-batch-size",
					Integer.toString(stage.maxBatchSize()), "--socket", socket.toString(), "--parent-pid",
					Long.toString(ProcessHandle.current().pid())));
			if (!stage.env().isEmpty()) {
				builder.environment().putAll(stage.env().get(workerId - 1));
			}
			return builder.redirectErrorStream(true);
		};
	}

	private ProcessBuilder command(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.interpreter);
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> env = builder.environment();
		String inherited = env.get("PYTHONPATH");
		env.put("PYTHONPATH", this.home + ((inherited != null && !inherited.isEmpty()) ? ":" + inherited : ""));
		// Each line of the worker reaches the server's log as it is written.
		env.put("PYTHONUNBUFFERED", "1");
		return builder;
	}

	private static String lastLine(String text) {
		String[] lines = text.split("\\R");
		return lines[lines.length - 1];
	}

	/**
	 * Where the package was copied.
	 * @return the directory on the workers' PYTHONPATH
	 */
	public Path home() {
		return this.home;
	}

}
