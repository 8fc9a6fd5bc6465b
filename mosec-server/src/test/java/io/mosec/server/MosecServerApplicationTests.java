package io.mosec.server;

import java.time.Duration;

import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The server as its README runs it: the example script, served unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { Python.INTERPRETER_PROPERTY, "mosec.python.server=examples/echo.py" })
@AutoConfigureWebTestClient
@RequiresPython
class MosecServerApplicationTests {

	@Autowired
	WebTestClient client;

	@Test
	void servesTheExampleScript() {
		this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build()
			.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"time\": 0.01}")
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.msg").isEqualTo("sleep 0.01 seconds");
	}

}
