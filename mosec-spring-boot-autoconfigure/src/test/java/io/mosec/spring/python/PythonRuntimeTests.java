package io.mosec.spring.python;

import java.nio.file.Files;
import java.nio.file.Path;

import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.PythonStage;
import io.mosec.spring.worker.launch.PythonRuntime;
import io.mosec.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the server learns of a Python stage before it starts a worker, and the message that stops
 * startup at once when the stage cannot run: it names the stage, the interpreter and the fix.
 */
class PythonRuntimeTests {

	@TempDir
	Path directory;

	@Test
	void describesAStageThatLoads() {
		PythonStage stage = runtime(Python.withModules("msgpack")).probe("echo", "src/test/resources/python/stages.py:Echo");
		assertThat(stage).isEqualTo(new PythonStage("src/test/resources/python/stages.py:Echo", "application/json", false));
		assertThat(this.directory.resolve("python/mosec/__init__.py")).exists();
	}

	@Test
	void loadsAStageFileThatTheApplicationShipsOnItsClasspath() {
		PythonStage stage = runtime(Python.withModules("msgpack")).probe("echo", "classpath:python/stages.py:Echo");
		Path copied = this.directory.resolve("classpath/python/stages.py");
		assertThat(stage).isEqualTo(new PythonStage(copied + ":Echo", "application/json", false));
		assertThat(copied).hasSameTextualContentAs(Path.of("src/test/resources/python/stages.py"));
	}

	@Test
	void namesAClasspathFileThatDoesNotExist() {
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime(Python.withModules("msgpack")).probe("echo", "classpath:models/missing.py:Echo"))
			.withMessageContaining("Stage 'echo' (mosec.stages.echo.python=classpath:models/missing.py:Echo): "
					+ "models/missing.py is not on the classpath; put it under src/main/resources/models/missing.py");
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime(Python.withModules("msgpack")).probe("echo", "classpath:../stages.py:Echo"))
			.withMessageContaining("names no Python file on the classpath");
	}

	@Test
	void namesAnInterpreterThatCannotBeStarted() {
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime("/no/such/python3").probe("echo", "stages.py:Echo"))
			.withMessageContaining("Stage 'echo' (mosec.stages.echo.python=stages.py:Echo) needs interpreter "
					+ "'/no/such/python3', which cannot be started")
			.withMessageContaining("set mosec.python.interpreter");
	}

	@Test
	void namesAFileOrAClassThatDoesNotExist() {
		PythonRuntime runtime = runtime(Python.withModules("msgpack"));
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime.probe("echo", "models/missing.py:Echo"))
			.withMessageContaining("Stage 'echo' (mosec.stages.echo.python=models/missing.py:Echo) cannot run")
			.withMessageContaining("missing.py does not exist");
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime.probe("echo", "src/test/resources/python/stages.py:Missing"))
			.withMessageContaining("has no class Missing that extends mosec.Worker");
	}

	@Test
	void namesAModuleTheStageNeedsAndTheInterpreterLacks() throws Exception {
		Path stage = Files.writeString(this.directory.resolve("needs.py"),
				"import no_such_module_here\nfrom mosec import Worker\nclass Model(Worker):\n    pass\n");
		assertThatExceptionOfType(MosecConfigurationException.class)
			.isThrownBy(() -> runtime(Python.withModules("msgpack")).probe("model", stage + ":Model"))
			.withMessageContaining("the module 'no_such_module_here' is missing: install it for this interpreter")
			.withMessageContaining("or set mosec.python.interpreter");
	}

	@Test
	void stopsTheServersStartupWithThatMessage() {
		assertThatException().isThrownBy(() -> startPythonStage("mosec.worker.mode=process",
				"mosec.python.interpreter=/no/such/python3"))
			.havingRootCause()
			.isInstanceOf(MosecConfigurationException.class)
			.withMessageContaining("needs interpreter '/no/such/python3', which cannot be started");
	}

	@Test
	void refusesAPythonStageInThreadMode() {
		assertThatException().isThrownBy(() -> startPythonStage("mosec.worker.mode=thread"))
			.havingRootCause()
			.isInstanceOf(MosecConfigurationException.class)
			.withMessageContaining("Stage 'py' is a Python stage, which runs in worker processes only: remove mosec.worker.mode=thread");
	}

	private PythonRuntime runtime(String interpreter) {
		return PythonRuntime.extract(interpreter, this.directory);
	}

	/** Starts, and closes, a server with one Python stage on route /py and these properties besides. */
	private static void startPythonStage(String... properties) {
		new SpringApplicationBuilder(PythonStagesEndToEndTests.Application.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "mosec.stages.py.python=src/test/resources/python/stages.py:Echo",
					"mosec.routes[0].path=/py", "mosec.routes[0].stages=py")
			.properties(properties)
			.run()
			.close();
	}

}
