package io.mosec.spring.python;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Mosec server script (mosec-server's example) served unchanged by an application with no stage of its own: its
 * {@code append_worker} calls become the stages (named as Mosec names them) and its route, and
 * the script gets its own arguments.
 */
@SpringBootTest(classes = MosecScriptEndToEndTests.Empty.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { Python.INTERPRETER_PROPERTY, "mosec.worker.mode=process", "mosec.python.server=../mosec-server/examples/echo.py",
				"mosec.python.args=--batch,8", "mosec.stages.Postprocess_3.num=1" })
@DirtiesContext
@RequiresPython
class MosecScriptEndToEndTests {

	@LocalServerPort
	int port;

	@Autowired
	Pipeline pipeline;

	@Test
	void servesTheScriptsRouteThroughItsThreeStages() throws Exception {
		var response = new LocalHttp(this.port).post("/inference", "{\"time\": 0.001}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonMapper.builder().build().readTree(response.body()).path("msg").asText())
			.isEqualTo("sleep 0.001 seconds");
	}

	@Test
	void takesTheScriptsSettingsItsArgumentsAndThePropertiesThatOverrideThem() {
		assertThat(this.pipeline.pools()).extracting((pool) -> pool.stage().name())
			.containsExactly("Preprocess_1", "Inference_2", "Postprocess_3");
		assertThat(this.pipeline.pool("Inference_2").stage().maxBatchSize()).as("--batch 8").isEqualTo(8);
		assertThat(this.pipeline.pool("Inference_2").stage().maxWaitTime().toMillis()).isEqualTo(5);
		assertThat(this.pipeline.pool("Postprocess_3").stage().num()).as("mosec.stages.Postprocess_3.num").isEqualTo(1);
		assertThat(this.pipeline.pool("Postprocess_3").stage().timeout().toSeconds()).isEqualTo(2);
	}

	@Test
	void answersTheScriptsValidationErrorInMosecsWords() throws Exception {
		var response = new LocalHttp(this.port).post("/inference", "{\"sleep\": 1}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("request validation error: cannot find key 'time'");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Empty {

	}

}
