package io.mosec.sample;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample service as a client sees it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
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
	void chartsOnlyMetricFamiliesTheServiceExportsOnItsDashboard() throws Exception {
		embedsAText();
		String scrape = this.client.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		Set<String> exported = new HashSet<>();
		Matcher samples = Pattern.compile("(?m)^(mosec_service_\\w+)").matcher(scrape);
		while (samples.find()) {
			exported.add(samples.group(1));
		}
		Set<String> charted = new HashSet<>();
		JsonNode dashboard = JsonMapper.builder().build().readTree(Path.of("grafana/mosec-dashboard.json").toFile());
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				Matcher families = Pattern.compile("mosec_service_\\w+").matcher(target.get("expr").asText());
				while (families.find()) {
					charted.add(families.group());
				}
			}
		}
		assertThat(charted).hasSizeGreaterThan(8);
		assertThat(exported).containsAll(charted);
	}

	@Test
	void rejectsAnEmptyText() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\": \" \"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.detail").isEqualTo("request validation error: 'text' must not be empty");
	}

}
