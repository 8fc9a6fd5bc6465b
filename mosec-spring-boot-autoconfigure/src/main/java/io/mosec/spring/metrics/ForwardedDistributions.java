package io.mosec.spring.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import org.springframework.core.Ordered;

/**
 * Keeps histograms and percentiles off the timers and summaries that republish a worker's: the
 * server sees only each interval's count, total and max, so buckets it computed from them would
 * show a distribution that nobody measured. Applied last (lowest precedence), after the filters
 * that {@code management.metrics.distribution.*} sets up.
 */
public final class ForwardedDistributions implements MeterFilter, Ordered {

	private static final DistributionStatisticConfig NONE = DistributionStatisticConfig.builder()
		.percentilesHistogram(false)
		.percentiles(new double[0])
		.serviceLevelObjectives(new double[0])
		.build();

	private final ThreadLocal<Boolean> registering = new ThreadLocal<>();

	/**
	 * Registers a forwarded meter on this thread, without a distribution.
	 * @param <T> the meter's type
	 * @param registration what registers it
	 * @return the meter
	 */
	<T> T register(Supplier<T> registration) {
		this.registering.set(Boolean.TRUE);
		try {
			return registration.get();
		}
		finally {
			this.registering.remove();
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		return (this.registering.get() != null) ? NONE.merge(config) : config;
	}

}
