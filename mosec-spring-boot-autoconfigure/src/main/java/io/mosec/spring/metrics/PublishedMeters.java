package io.mosec.spring.metrics;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.mosec.spring.metrics.MeterSnapshot.Kind;
import io.mosec.spring.metrics.MeterSnapshot.Sample;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server's meters for one worker id of one stage, kept across the worker's restarts; the
 * connections of that id (two during a rolling restart) record into them.
 */
final class PublishedMeters {

	private static final Log logger = LogFactory.getLog(PublishedMeters.class);

	private final MeterRegistry registry;

	private final ForwardedDistributions distributions;

	private final String stage;

	private final String worker;

	private final int limit;

	private final Map<Key, Published> meters = new HashMap<>();

	private boolean warnedLimit;

	PublishedMeters(MeterRegistry registry, ForwardedDistributions distributions, String stage, int workerId,
			int limit) {
		this.registry = registry;
		this.distributions = distributions;
		this.stage = stage;
		this.worker = Integer.toString(workerId);
		this.limit = limit;
	}

	/** Records what changed in a meter since the connection's last snapshot. */
	synchronized void record(Object connection, Sample sample, Last last, int[] budget) {
		Published published = this.meters.get(new Key(sample.name(), sample.tags()));
		if (published == null) {
			published = publish(sample);
			if (published == null) {
				return;
			}
		}
		if (published.kind != sample.kind()) {
			return;
		}
		switch (sample.kind()) {
			case COUNTER -> {
				double change = sample.value() - last.value;
				// Lower than before: the worker removed and re-created it.
				published.counter.increment((change >= 0) ? change : sample.value());
				last.value = sample.value();
			}
			case GAUGE, TIME_GAUGE -> {
				published.value = sample.value();
				published.owner = connection;
			}
			case TIMER, SUMMARY -> recordDistribution(published, sample, last, budget);
		}
	}

	/**
	 * An interval's samples, from its count, total and max: the max once, the rest at their mean,
	 * so that the count, the total and the max are the worker's. At most the budget's records; the
	 * rest wait for the next snapshot.
	 */
	private void recordDistribution(Published published, Sample sample, Last last, int[] budget) {
		long count = (long) (sample.count() - last.count);
		double total = sample.value() - last.value;
		if (count < 0 || total < 0) {
			last.count = 0;
			last.value = 0;
			count = (long) sample.count();
			total = sample.value();
		}
		long records = Math.min(count, budget[0]);
		if (records <= 0) {
			return;
		}
		budget[0] -= (int) records;
		if (records < count) {
			double mean = total / count;
			for (long i = 0; i < records; i++) {
				published.record(mean);
			}
			last.count += records;
			last.value += records * mean;
			return;
		}
		double max = Double.isNaN(sample.max()) ? total / count : Math.min(Math.max(sample.max(), 0), total);
		published.record(max);
		double rest = (count > 1) ? (total - max) / (count - 1) : 0;
		for (long i = 1; i < count; i++) {
			published.record(rest);
		}
		last.count = sample.count();
		last.value = sample.value();
	}

	private Published publish(Sample sample) {
		if (this.meters.size() >= this.limit) {
			if (!this.warnedLimit) {
				this.warnedLimit = true;
				logger.warn(this + " records more than " + this.limit
						+ " meters; the others are not published (mosec.metrics.max-forwarded-meters)");
			}
			return null;
		}
		Published published = new Published(sample.kind());
		Tags tags = Tags.empty();
		for (int i = 0; i + 1 < sample.tags().size(); i += 2) {
			tags = tags.and(sample.tags().get(i), sample.tags().get(i + 1));
		}
		Tags all = tags.and(ForwardedMeters.STAGE_TAG, this.stage, ForwardedMeters.WORKER_TAG, this.worker);
		try {
			published.meter = this.distributions.register(() -> register(published, sample, all));
		}
		catch (RuntimeException ex) {
			// Another meter of the server has that name with another type: this one stays in the worker.
			logger.warn(this + " records meter '" + sample.name() + "', which the server cannot publish: "
					+ ex.getMessage());
		}
		this.meters.put(new Key(sample.name(), sample.tags()), published);
		return (published.meter != null) ? published : null;
	}

	private Meter register(Published published, Sample sample, Tags tags) {
		return switch (sample.kind()) {
			case COUNTER -> published.counter = Counter.builder(sample.name())
				.tags(tags)
				.baseUnit(sample.unit())
				.description(sample.description())
				.register(this.registry);
			case GAUGE -> Gauge.builder(sample.name(), published, (p) -> p.value)
				.tags(tags)
				.baseUnit(sample.unit())
				.description(sample.description())
				.strongReference(true)
				.register(this.registry);
			case TIME_GAUGE -> TimeGauge.builder(sample.name(), published, TimeUnit.SECONDS, (p) -> p.value)
				.tags(tags)
				.description(sample.description())
				.register(this.registry);
			case TIMER -> published.timer = Timer.builder(sample.name())
				.tags(tags)
				.description(sample.description())
				.register(this.registry);
			case SUMMARY -> published.summary = DistributionSummary.builder(sample.name())
				.tags(tags)
				.baseUnit(sample.unit())
				.description(sample.description())
				.register(this.registry);
		};
	}

	/** A connection ended: the gauges it set last say nothing true any more. */
	synchronized void disconnected(Object connection) {
		Iterator<Published> published = this.meters.values().iterator();
		while (published.hasNext()) {
			Published meter = published.next();
			if (meter.owner == connection) {
				this.registry.remove(meter.meter);
				published.remove();
			}
		}
	}

	@Override
	public String toString() {
		return "Stage '" + this.stage + "' worker " + this.worker;
	}

	/** A worker meter's identity: its name and its own tags. */
	record Key(String name, List<String> tags) {

	}

	/** What a connection last sent of one meter. */
	static final class Last {

		double value;

		double count;

	}

	/** One published meter; {@code meter} is null for one the server could not register. */
	private static final class Published {

		private final Kind kind;

		private Meter meter;

		private Counter counter;

		private Timer timer;

		private DistributionSummary summary;

		private volatile double value;

		private Object owner;

		Published(Kind kind) {
			this.kind = kind;
		}

		void record(double amount) {
			if (this.timer != null) {
				this.timer.record((long) (amount * 1e9), TimeUnit.NANOSECONDS);
			}
			else {
				this.summary.record(amount);
			}
		}

	}

}
