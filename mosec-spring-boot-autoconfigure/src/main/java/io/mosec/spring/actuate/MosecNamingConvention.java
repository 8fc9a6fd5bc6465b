package io.mosec.spring.actuate;

import io.micrometer.common.lang.Nullable;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * A registry's naming convention, but for Mosec's duration histograms: they are timers (so that
 * each duration lands in its bucket exactly) named as Mosec names them,
 * {@code mosec_service_process_duration_second}, where Prometheus' convention would add the base
 * unit and make it {@code ..._second_seconds}. Every other meter is named as before.
 */
public final class MosecNamingConvention implements NamingConvention {

	private final NamingConvention delegate;

	private final String prefix;

	/**
	 * Wraps a naming convention.
	 * @param delegate the registry's convention
	 * @param namespace Mosec's family prefix, {@code mosec_service} by default
	 */
	public MosecNamingConvention(NamingConvention delegate, String namespace) {
		this.delegate = delegate;
		this.prefix = namespace + "_";
	}

	@Override
	public String name(String name, Meter.Type type, @Nullable String baseUnit) {
		if (type == Meter.Type.TIMER && name.startsWith(this.prefix) && name.endsWith("_second")) {
			// Named as the distribution summary it used to be: Prometheus' convention gives every timer
			// its "_seconds", whatever its base unit, and nothing to a summary without one.
			return this.delegate.name(name, Meter.Type.DISTRIBUTION_SUMMARY, null);
		}
		return this.delegate.name(name, type, baseUnit);
	}

	@Override
	public String tagKey(String key) {
		return this.delegate.tagKey(key);
	}

	@Override
	public String tagValue(String value) {
		return this.delegate.tagValue(value);
	}

}
