package io.mosec.spring.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.NamingConvention;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.stage.StageDefinition;

/**
 * Mosec's Prometheus families, with Mosec's names and labels, so that existing dashboards and
 * alerts work unchanged: throughput by code and endpoint, and histograms of process duration,
 * batch size and batch duration by stage and connection (worker id).
 * <p>
 * Durations are timers with Mosec's buckets: a timer records nanoseconds, so each duration lands
 * in the bucket it belongs to (a distribution summary rounds a value up to a whole number before
 * it finds its bucket, micrometer issue 2592, which put every sub-second duration in
 * {@code le="1.024"}). {@link MosecNamingConvention} keeps their Mosec names in Prometheus.
 */
public final class MosecMetrics implements MeterBinder, PipelineListener {

	private static final String TOTAL = "total";

	private final String namespace;

	private final Duration[] durationBuckets;

	private final double[] sizeBuckets;

	private final Map<String, Counter> throughput = new ConcurrentHashMap<>();

	private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private volatile MeterRegistry registry;

	/**
	 * Creates the metrics.
	 * @param namespace the family prefix, {@code mosec_service} like Mosec's
	 * @param timeout the request timeout: duration buckets reach just past it
	 */
	public MosecMetrics(String namespace, Duration timeout) {
		this.namespace = namespace;
		this.durationBuckets = durationBuckets(timeout);
		this.sizeBuckets = new double[10];
		for (int i = 0; i < this.sizeBuckets.length; i++) {
			this.sizeBuckets[i] = 1 << i;
		}
	}

	/** 1 ms doubling, up to the first bucket past the timeout, as Mosec's. */
	private static Duration[] durationBuckets(Duration timeout) {
		List<Duration> buckets = new ArrayList<>();
		Duration bucket = Duration.ofMillis(1);
		buckets.add(bucket);
		while (bucket.compareTo(timeout) <= 0) {
			bucket = bucket.multipliedBy(2);
			buckets.add(bucket);
		}
		return buckets.toArray(Duration[]::new);
	}

	/**
	 * Names Mosec's duration families in a registry as Mosec does (see {@link MosecNamingConvention}).
	 * @param registry the registry
	 * @param namespace the family prefix
	 */
	public static void keepMosecNames(MeterRegistry registry, String namespace) {
		NamingConvention current = registry.config().namingConvention();
		if (!(current instanceof MosecNamingConvention)) {
			registry.config().namingConvention(new MosecNamingConvention(current, namespace));
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		keepMosecNames(registry, this.namespace);
		this.registry = registry;
	}

	@Override
	public void batchAnswered(StageDefinition stage, int workerId, int size, long batchNanos, long forwardNanos) {
		if (this.registry == null) {
			return;
		}
		String connection = Integer.toString(workerId);
		timer("process_duration_second", stage.name(), connection).record(forwardNanos, TimeUnit.NANOSECONDS);
		timer("batch_duration_second", stage.name(), connection).record(batchNanos, TimeUnit.NANOSECONDS);
		if (stage.maxBatchSize() > 1) {
			summary("batch_size", stage.name(), connection).record(size);
		}
	}

	@Override
	public void requestAnswered(String endpoint, int status, long nanos) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		String code = Integer.toString(status);
		this.throughput.computeIfAbsent(code + " " + endpoint, (key) -> Counter
			.builder(this.namespace + "_throughput")
			.description("Inference requests answered, by status code and endpoint")
			.tags("code", code, "endpoint", endpoint)
			.register(registry)).increment();
		if (status == 200) {
			timer("process_duration_second", TOTAL, TOTAL).record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private Timer timer(String family, String stage, String connection) {
		MeterRegistry registry = this.registry;
		return this.timers.computeIfAbsent(family + " " + stage + " " + connection, (key) -> Timer
			.builder(this.namespace + "_" + family)
			.tags("stage", stage, "connection", connection)
			.serviceLevelObjectives(this.durationBuckets)
			.register(registry));
	}

	/** Batch sizes are whole numbers: a summary's rounding up is exact for them. */
	private DistributionSummary summary(String family, String stage, String connection) {
		MeterRegistry registry = this.registry;
		return this.summaries.computeIfAbsent(family + " " + stage + " " + connection, (key) -> DistributionSummary
			.builder(this.namespace + "_" + family)
			.tags("stage", stage, "connection", connection)
			.serviceLevelObjectives(this.sizeBuckets)
			.register(registry));
	}

}
