package io.mosec.server;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
		properties = { "mosec.python.server=examples/echo.py", "mosec.python.interpreter=" + MosecServerApplicationTests.PYTHON })
@AutoConfigureWebTestClient
class MosecServerApplicationTests {

	static final String PYTHON = "/usr/bin/python3";

	@Autowired
	WebTestClient client;

	@BeforeAll
	static void needsPython() throws Exception {
		Process check = new ProcessBuilder(PYTHON, "-c", "import msgpack").redirectErrorStream(true).start();
		check.getInputStream().readAllBytes();
		boolean ready = check.waitFor() == 0;
		if (!ready && "1".equals(System.getenv("MOSEC_REQUIRE_PYTHON"))) {
			throw new IllegalStateException(PYTHON + " cannot import msgpack: apt-get install python3-msgpack");
		}
		Assumptions.assumeTrue(ready, PYTHON + " cannot import msgpack: apt-get install python3-msgpack to run this test");
	}

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
