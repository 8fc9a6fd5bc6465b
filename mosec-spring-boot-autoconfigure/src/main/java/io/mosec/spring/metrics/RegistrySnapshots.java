package io.mosec.spring.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.metrics.MeterSnapshot.Kind;
import io.mosec.spring.metrics.MeterSnapshot.Sample;
import io.mosec.spring.worker.child.MeterSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The worker side: reads every meter of the worker's registry into a {@link MeterSnapshot},
 * at most {@code limit} of them so that a stage with thousands of tag values sends a bounded
 * frame (the server bounds what it keeps by the same limit).
 */
public final class RegistrySnapshots implements MeterSnapshots {

	private static final Log logger = LogFactory.getLog(RegistrySnapshots.class);

	private final MeterRegistry registry;

	private final PayloadCodec codec;

	/** Unchanged snapshots are sent now and then all the same: a server-side gauge lost in a restart comes back. */
	private static final int MOST_SKIPPED = 20;

	private final int limit;

	private byte[] last;

	private int skipped;

	private boolean warned;

	/**
	 * Reads a registry.
	 * @param registry the worker's registry
	 * @param codec encodes the snapshot
	 * @param limit the most meters a snapshot holds
	 */
	public RegistrySnapshots(MeterRegistry registry, PayloadCodec codec, int limit) {
		this.registry = registry;
		this.codec = codec;
		this.limit = limit;
	}

	@Override
	public synchronized byte[] take() {
		List<Sample> samples = new ArrayList<>();
		for (Meter meter : this.registry.getMeters()) {
			Sample sample = sample(meter);
			if (sample == null) {
				continue;
			}
			if (samples.size() == this.limit) {
				if (!this.warned) {
					this.warned = true;
					logger.warn("This stage records more than " + this.limit + " meters; the server publishes "
							+ this.limit + " of them (mosec.metrics.max-forwarded-meters)");
				}
				break;
			}
			samples.add(sample);
		}
		byte[] snapshot = this.codec.encode(new MeterSnapshot(samples), PayloadFormat.MSGPACK);
		if (Arrays.equals(snapshot, this.last) && this.skipped++ < MOST_SKIPPED) {
			return null;
		}
		this.last = snapshot;
		this.skipped = 0;
		return snapshot;
	}

	/** A meter's sample, or {@code null} for what does not cross (long task timers, custom meters, NaN gauges). */
	static Sample sample(Meter meter) {
		Meter.Id id = meter.getId();
		return meter.match(
				(gauge) -> sample(id, Kind.GAUGE, gauge.value(), 0, Double.NaN),
				(counter) -> sample(id, Kind.COUNTER, counter.count(), 0, Double.NaN),
				(timer) -> sample(id, Kind.TIMER, timer.totalTime(TimeUnit.SECONDS), timer.count(),
						timer.max(TimeUnit.SECONDS)),
				(summary) -> sample(id, Kind.SUMMARY, summary.totalAmount(), summary.count(), summary.max()),
				(longTaskTimer) -> null,
				(timeGauge) -> sample(id, Kind.TIME_GAUGE, timeGauge.value(TimeUnit.SECONDS), 0, Double.NaN),
				(counter) -> sample(id, Kind.COUNTER, counter.count(), 0, Double.NaN),
				(timer) -> sample(id, Kind.TIMER, timer.totalTime(TimeUnit.SECONDS), timer.count(), Double.NaN),
				(other) -> null);
	}

	private static Sample sample(Meter.Id id, Kind kind, double value, double count, double max) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			return null;
		}
		List<String> tags = new ArrayList<>();
		for (Tag tag : id.getTagsAsIterable()) {
			tags.add(tag.getKey());
			tags.add(tag.getValue());
		}
		return new Sample(id.getName(), kind, tags, id.getBaseUnit(), id.getDescription(), value, count, max);
	}

}
