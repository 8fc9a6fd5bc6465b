package io.mosec.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.test.Readiness;
import io.mosec.spring.worker.PoolStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a stage records shows on the server's {@code /actuator/prometheus}, tagged with the
 * stage and the worker, within a second or so, in process mode and in thread mode alike.
 */
class StageMetersEndToEndTests {

	/** Workers send their meters twice a second; the rest is slack for a loaded machine. */
	static final Duration WITHIN = Duration.ofSeconds(2);

	static final String ITEMS = "stage_items_total{model=\"test\",stage=\"counting\",worker=\"1\"}";

	static final String LAST = "stage_last_value{stage=\"counting\",worker=\"1\"}";

	static final String BATCHES = "stage_batch_time_seconds_count{stage=\"counting\",worker=\"1\"}";

	abstract static class Scenario {

		@LocalServerPort
		int port;

		@Autowired
		Pipeline pipeline;

		LocalHttp http;

		@BeforeEach
		void connect() {
			this.http = new LocalHttp(this.port);
		}

		@Test
		void publishesTheStagesCounterTimerAndGaugeWithinASecond() throws Exception {
			double before = sample(scrape(), ITEMS);
			for (int i = 1; i <= 5; i++) {
				assertThat(this.http.post("/count", "{\"value\": " + i + "}").statusCode()).isEqualTo(200);
			}
			await().atMost(WITHIN).pollInterval(Duration.ofMillis(50))
				.until(() -> sample(scrape(), ITEMS) == before + 5);
			String scrape = scrape();
			assertThat(sample(scrape, LAST)).isEqualTo(5);
			assertThat(sample(scrape, BATCHES)).isPositive();
			assertThat(scrape).contains("# TYPE stage_items_total counter", "# TYPE stage_batch_time_seconds summary",
					"# TYPE stage_last_value gauge");
		}

		String scrape() throws Exception {
			return this.http.get("/actuator/prometheus").body();
		}

	}

	@Nested
	@SpringBootTest(classes = MeteredStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "mosec.worker.mode=process", "mosec.routes[0].path=/count", "mosec.routes[0].stages=counting",
					"mosec.metrics.max-forwarded-meters=100" })
	@AutoConfigureMetrics
	@DirtiesContext
	class InWorkerProcesses extends Scenario {

		@Test
		void keepsTheCounterGoingUpThroughAWorkerRestart() throws Exception {
			Readiness.awaitEveryWorker(this.pipeline);
			for (int i = 0; i < 3; i++) {
				assertThat(this.http.post("/count", "{\"value\": 1}").statusCode()).isEqualTo(200);
			}
			await().atMost(WITHIN).until(() -> sample(scrape(), ITEMS) >= 3);
			double published = sample(scrape(), ITEMS);
			PoolStatus status = this.pipeline.pool("counting").status();
			ProcessHandle.of(status.readyPids().get(1)).ifPresent(ProcessHandle::destroyForcibly);
			List<Double> seen = new ArrayList<>();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
				seen.add(sample(scrape(), ITEMS));
				PoolStatus now = this.pipeline.pool("counting").status();
				return now.restarts() > status.restarts() && now.ready() == 1;
			});
			assertThat(this.http.post("/count", "{\"value\": 1}").statusCode()).isEqualTo(200);
			await().atMost(WITHIN).pollInterval(Duration.ofMillis(50))
				.until(() -> sample(scrape(), ITEMS) == published + 1);
			assertThat(seen).as("the counter while its worker restarted").isSorted().allMatch((value) -> value >= published);
		}

		@Test
		void publishesAtMostTheConfiguredNumberOfMetersForAWorker() throws Exception {
			assertThat(this.http.post("/count", "{\"value\": 1, \"users\": 3000}").statusCode()).isEqualTo(200);
			await().atMost(WITHIN).pollInterval(Duration.ofMillis(50))
				.until(() -> scrape().contains("stage_by_user_total"));
			long published = scrape().lines().filter((line) -> line.startsWith("stage_by_user_total{")).count();
			assertThat(published).isPositive().isLessThanOrEqualTo(100);
			assertThat(this.http.post("/count", "{\"value\": 2}").statusCode()).isEqualTo(200);
		}

	}

	@Nested
	@SpringBootTest(classes = MeteredStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "mosec.worker.mode=thread", "mosec.routes[0].path=/count", "mosec.routes[0].stages=counting" })
	@AutoConfigureMetrics
	@DirtiesContext
	class InThreads extends Scenario {

	}

	static double sample(String scrape, String series) {
		Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

}
