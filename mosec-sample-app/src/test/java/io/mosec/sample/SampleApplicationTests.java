package io.mosec.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample service as a client sees it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SampleApplicationTests {

	@Autowired
	WebTestClient client;

	@Test
	void embedsAText() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"text\": \"Hello, batching world\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.tokens").isEqualTo(3)
			.jsonPath("$.vector.length()").isEqualTo(Embed.DIMENSIONS);
	}

	@Test
	void rejectsAnEmptyText() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\": \" \"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.detail").isEqualTo("request validation error: 'text' must not be empty");
	}

}
