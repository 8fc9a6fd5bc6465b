package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.PythonStage;
import io.mosec.spring.stage.StageDefinition;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.StringUtils;

/**
 * Python stages' workers: the {@code mosec} package that this jar ships (Mosec's Python API,
 * our implementation), copied once into the server's private directory and put first on the
 * workers' {@code PYTHONPATH}, so that Debian's {@code python3} with {@code python3-msgpack} is
 * all a Python stage needs.
 */
public final class PythonRuntime {

	/** Where the package lies on the classpath. */
	static final String PACKAGE_LOCATION = "META-INF/mosec/python/";

	/** A stage file shipped in the application's jar: {@code classpath:path/to/file.py:Class}. */
	static final String CLASSPATH_PREFIX = "classpath:";

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
		String subject = "Stage '" + stage + "' (mosec.stages." + stage + ".python=" + target + ")";
		String located = locate(subject, target);
		String out = run(List.of("-m", "mosec._probe", located), subject);
		try {
			JsonNode described = JsonMapper.builder().build().readTree(lastLine(out));
			return new PythonStage(located, described.path("mime").asText("application/json"),
					described.path("streaming").asBoolean());
		}
		catch (IOException ex) {
			throw new MosecConfigurationException(subject + " could not be asked about with interpreter '"
					+ this.interpreter + "': " + lastLine(out));
		}
	}

	/**
	 * The target as the interpreter can load it: a {@code classpath:} file is copied out of the
	 * jar first, beside the package (an interpreter cannot read a file inside a jar). Only the file
	 * is copied: what it imports must be installed, or on the {@code PYTHONPATH}.
	 */
	private String locate(String subject, String target) {
		if (!target.startsWith(CLASSPATH_PREFIX)) {
			return target;
		}
		String spec = target.substring(CLASSPATH_PREFIX.length());
		int colon = spec.lastIndexOf(':');
		String path = StringUtils.cleanPath((colon < 0) ? spec : spec.substring(0, colon));
		if (!path.endsWith(".py") || path.startsWith("../") || path.startsWith("/")) {
			throw new MosecConfigurationException(subject + " names no Python file on the classpath: write "
					+ "classpath:path/to/file.py:Class, the path inside the jar.");
		}
		ClassPathResource resource = new ClassPathResource(path, PythonRuntime.class.getClassLoader());
		if (!resource.exists()) {
			throw new MosecConfigurationException(subject + ": " + path + " is not on the classpath; put it under "
					+ "src/main/resources/" + path + ".");
		}
		Path file = this.home.resolveSibling("classpath").resolve(path);
		try (InputStream in = resource.getInputStream()) {
			Files.createDirectories(file.getParent());
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot copy " + path + " from the classpath to " + file, ex);
		}
		return file + ((colon < 0) ? "" : spec.substring(colon));
	}

	/** Runs the interpreter on the mosec package; its output, or why it cannot run, naming the subject. */
	private String run(List<String> arguments, String subject) {
		// One stream: what a script prints on import cannot fill a pipe nobody reads.
		ProcessBuilder builder = command(arguments).redirectErrorStream(true);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new MosecConfigurationException(subject + " needs interpreter '" + this.interpreter
					+ "', which cannot be started (" + ex.getMessage() + "): install Python 3, or set "
					+ "mosec.python.interpreter to an interpreter's path.");
		}
		try {
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new MosecConfigurationException(subject + " did not load within " + PROBE_SECONDS
						+ " s with interpreter '" + this.interpreter + "'.");
			}
			if (process.exitValue() != 0) {
				throw new MosecConfigurationException(subject + " cannot run with interpreter '" + this.interpreter
						+ "' (mosec.python.interpreter): "
						+ (out.isEmpty() ? "it exited with " + process.exitValue() : lastLine(out)));
			}
			return out;
		}
		catch (IOException ex) {
			process.destroyForcibly();
			throw new MosecConfigurationException(subject + " could not be read from interpreter '"
					+ this.interpreter + "': " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IllegalStateException("Interrupted while running " + subject, ex);
		}
	}

	/**
	 * What a Mosec server script declares: runs it once as {@code __main__} with the recording
	 * {@code Server}, whose {@code run()} prints its stages and routes instead of serving.
	 * @param script the script ({@code mosec.python.server})
	 * @param arguments the script's own arguments ({@code mosec.python.args})
	 * @return its stages, in the order it appended them, and its routes
	 * @throws MosecConfigurationException if it cannot be run or declares nothing
	 */
	public Script describe(Path script, List<String> arguments) {
		String subject = "The Mosec server script (mosec.python.server=" + script + ")";
		List<String> command = new ArrayList<>(List.of("-m", "mosec._describe", script.toString()));
		command.addAll(arguments);
		String out = run(command, subject);
		try {
			JsonNode described = JsonMapper.builder().build().readTree(lastLine(out));
			List<Script.Stage> stages = new ArrayList<>();
			for (JsonNode stage : described.path("stages")) {
				List<Map<String, String>> env = new ArrayList<>();
				for (JsonNode worker : stage.path("env")) {
					Map<String, String> variables = new LinkedHashMap<>();
					worker.properties().forEach((entry) -> variables.put(entry.getKey(), entry.getValue().asText()));
					env.add(variables);
				}
				stages.add(new Script.Stage(stage.path("name").asText(), stage.path("target").asText(),
						stage.path("num").asInt(1), stage.path("max_batch_size").asInt(1),
						Duration.ofMillis(stage.path("max_wait_time_ms").asLong()),
						Duration.ofMillis((long) (stage.path("timeout_s").asDouble() * 1000)), env));
			}
			Map<String, List<String>> routes = new LinkedHashMap<>();
			described.path("routes").properties().forEach((route) -> {
				List<String> names = new ArrayList<>();
				route.getValue().forEach((name) -> names.add(name.asText()));
				routes.put(route.getKey(), names);
			});
			return new Script(stages, routes);
		}
		catch (IOException ex) {
			throw new MosecConfigurationException(subject + " printed no description of its stages with interpreter '"
					+ this.interpreter + "': " + lastLine(out));
		}
	}

	/**
	 * What a Mosec server script declares.
	 *
	 * @param stages its stages, named as Mosec names them ({@code Class_<n>})
	 * @param routes each route's stages, by path
	 */
	public record Script(List<Stage> stages, Map<String, List<String>> routes) {

		/**
		 * One stage of the script; a zero wait or timeout means the server's default.
		 *
		 * @param name the stage's name
		 * @param target its class
		 * @param num its workers
		 * @param maxBatchSize its largest batch
		 * @param maxWaitTime its batch wait, zero for the default
		 * @param timeout its timeout, zero for the default
		 * @param env environment variables per worker
		 */
		public record Stage(String name, String target, int num, int maxBatchSize, Duration maxWaitTime,
				Duration timeout, List<Map<String, String>> env) {

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

}
