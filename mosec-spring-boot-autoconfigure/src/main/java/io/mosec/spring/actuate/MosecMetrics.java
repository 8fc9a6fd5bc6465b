package io.mosec.spring.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.stage.StageDefinition;

/**
 * Mosec's Prometheus families, with Mosec's names and labels, so that existing dashboards and
 * alerts work unchanged: throughput by code and endpoint, and histograms of process duration,
 * batch size and batch duration by stage and connection (worker id).
 * <p>
 * Histograms are distribution summaries with explicit buckets rather than timers: a timer's
 * base unit would turn {@code mosec_service_process_duration_second} into
 * {@code ..._second_seconds}.
 */
public final class MosecMetrics implements MeterBinder, PipelineListener {

	private static final String TOTAL = "total";

	private final String namespace;

	private final double[] durationBuckets;

	private final double[] sizeBuckets;

	private final Map<String, Counter> throughput = new ConcurrentHashMap<>();

	private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

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

	/** 0.001 s doubling, up to the first bucket past the timeout, as Mosec's. */
	private static double[] durationBuckets(Duration timeout) {
		double limit = timeout.toNanos() / 1e9;
		int count = 1;
		while (0.001 * Math.pow(2, count - 1) <= limit) {
			count++;
		}
		double[] buckets = new double[count];
		for (int i = 0; i < count; i++) {
			buckets[i] = 0.001 * Math.pow(2, i);
		}
		return buckets;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void batchAnswered(StageDefinition stage, int workerId, int size, long batchNanos, long forwardNanos) {
		if (this.registry == null) {
			return;
		}
		String connection = Integer.toString(workerId);
		summary("process_duration_second", stage.name(), connection, this.durationBuckets).record(forwardNanos / 1e9);
		summary("batch_duration_second", stage.name(), connection, this.durationBuckets).record(batchNanos / 1e9);
		if (stage.maxBatchSize() > 1) {
			summary("batch_size", stage.name(), connection, this.sizeBuckets).record(size);
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
			summary("process_duration_second", TOTAL, TOTAL, this.durationBuckets).record(nanos / 1e9);
		}
	}

	private DistributionSummary summary(String family, String stage, String connection, double[] buckets) {
		MeterRegistry registry = this.registry;
		return this.summaries.computeIfAbsent(family + " " + stage + " " + connection, (key) -> DistributionSummary
			.builder(this.namespace + "_" + family)
			.tags("stage", stage, "connection", connection)
			.serviceLevelObjectives(buckets)
			.register(registry));
	}

}
