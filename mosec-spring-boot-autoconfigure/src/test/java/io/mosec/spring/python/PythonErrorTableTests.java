package io.mosec.spring.python;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.protocol.Flags;
import io.mosec.testing.Python;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of statuses and message prefixes: the Python runtime's (mosec/_stage.py) says what
 * {@link Failure} says, and its flags are {@link Flags}'.
 */
class PythonErrorTableTests {

	private static final String PRINT_TABLE = String.join("\n", "import json, sys",
			"sys.path.insert(0, 'src/main/resources/META-INF/mosec/python')", "from mosec import _stage, protocol",
			"table = {kind.__name__: [flag, prefix] for kind, flag, prefix in _stage.FAILURES}",
			"table['unexpected'] = list(_stage.UNEXPECTED)",
			"flags = {name: getattr(protocol, name) for name in dir(protocol) if name.isupper() and not name.startswith('_')}",
			"print(json.dumps({'table': table, 'flags': flags}))");

	@Test
	void mapsEachPythonErrorAsTheServerMapsItsFailures() throws Exception {
		JsonNode python = run();
		Map<String, Failure> expected = Map.of("ValidationError", Failure.VALIDATION_ERROR, "DecodingError",
				Failure.DECODING_ERROR, "ClientError", Failure.BAD_REQUEST, "MosecTimeoutError", Failure.TIMEOUT,
				"ServerError", Failure.INTERNAL_ERROR, "unexpected", Failure.INTERNAL_ERROR);
		assertThat(python.path("table").size()).isEqualTo(expected.size());
		expected.forEach((error, failure) -> {
			JsonNode entry = python.path("table").path(error);
			assertThat(entry.get(0).asInt()).as(error + "'s flag").isEqualTo(failure.flag());
			assertThat(entry.get(1).asText()).as(error + "'s prefix").isEqualTo(failure.detail(null));
		});
	}

	@Test
	void usesTheServersFlags() throws Exception {
		JsonNode flags = run().path("flags");
		for (String name : new String[] { "INGRESS", "EGRESS", "PICKLE_IN", "PICKLE_OUT", "TRACE", "METRICS", "CANCEL",
				"STREAM_EVENT", "HELLO", "OK", "BAD_REQUEST", "VALIDATION_ERROR", "INTERNAL_ERROR", "TIMEOUT" }) {
			assertThat(flags.path(name).asInt(-1)).as(name).isEqualTo(Flags.class.getField(name).getInt(null));
		}
	}

	private static JsonNode run() throws Exception {
		ProcessBuilder builder = new ProcessBuilder(Python.withModules("json"), "-c", PRINT_TABLE).redirectErrorStream(true);
		builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return JsonMapper.builder().build().readTree(output);
	}

}
