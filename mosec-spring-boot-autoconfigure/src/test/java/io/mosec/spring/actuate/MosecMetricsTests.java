package io.mosec.spring.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mosec's histograms as Prometheus scrapes them: each recorded duration in the bucket it belongs
 * to, with Mosec's family names and labels.
 */
class MosecMetricsTests {

	private static final StageDefinition STAGE = new StageDefinition("embed", "embed", Object.class, 0, 1, 8,
			Duration.ZERO, Duration.ofSeconds(3), StageKind.BATCH_WORKER, Object.class, Object.class, List.of(),
			List.of());

	/** 0.3 ms, 3 ms, 30 ms, 300 ms and 3 s. */
	private static final long[] DURATIONS = { 300_000L, 3_000_000L, 30_000_000L, 300_000_000L, 3_000_000_000L };

	@Test
	void countsEachDurationInTheBucketItBelongsTo() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		MosecMetrics metrics = new MosecMetrics("mosec_service", Duration.ofSeconds(3));
		metrics.bindTo(registry);
		for (long nanos : DURATIONS) {
			metrics.batchAnswered(STAGE, 1, 2, nanos, nanos);
			metrics.requestAnswered("/embed", 200, nanos);
		}
		String scrape = registry.scrape();
		Map<String, Long> expected = new LinkedHashMap<>();
		expected.put("0.001", 1L);
		expected.put("0.002", 1L);
		expected.put("0.004", 2L);
		expected.put("0.008", 2L);
		expected.put("0.016", 2L);
		expected.put("0.032", 3L);
		expected.put("0.064", 3L);
		expected.put("0.128", 3L);
		expected.put("0.256", 3L);
		expected.put("0.512", 4L);
		expected.put("1.024", 4L);
		expected.put("2.048", 4L);
		expected.put("4.096", 5L);
		expected.put("+Inf", 5L);
		for (String family : List.of("mosec_service_process_duration_second", "mosec_service_batch_duration_second")) {
			assertThat(buckets(scrape, family, "connection=\"1\",stage=\"embed\"")).as(family).isEqualTo(expected);
			assertThat(scrape).contains(family + "_count{connection=\"1\",stage=\"embed\"} 5")
				.contains(family + "_sum{connection=\"1\",stage=\"embed\"} 3.3333");
		}
		assertThat(buckets(scrape, "mosec_service_process_duration_second", "connection=\"total\",stage=\"total\""))
			.isEqualTo(expected);
		assertThat(scrape).doesNotContain("_second_seconds");
	}

	@Test
	void countsBatchSizesInTheirBuckets() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		MosecMetrics metrics = new MosecMetrics("mosec_service", Duration.ofSeconds(3));
		metrics.bindTo(registry);
		for (int size : new int[] { 1, 3, 8 }) {
			metrics.batchAnswered(STAGE, 1, size, 1_000_000L, 1_000_000L);
		}
		Map<String, Long> sizes = buckets(registry.scrape(), "mosec_service_batch_size", "connection=\"1\",stage=\"embed\"");
		assertThat(sizes).containsEntry("1.0", 1L).containsEntry("2.0", 1L).containsEntry("4.0", 2L)
			.containsEntry("8.0", 3L).containsEntry("+Inf", 3L);
	}

	/** The cumulative count of each bucket of one series, by its {@code le}. */
	private static Map<String, Long> buckets(String scrape, String family, String labels) {
		Pattern bucket = Pattern.compile("^" + Pattern.quote(family) + "_bucket\\{" + Pattern.quote(labels)
				+ ",le=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE);
		Map<String, Long> counts = new LinkedHashMap<>();
		Matcher matcher = bucket.matcher(scrape);
		while (matcher.find()) {
			counts.put(matcher.group(1), (long) Double.parseDouble(matcher.group(2)));
		}
		return counts;
	}

}
