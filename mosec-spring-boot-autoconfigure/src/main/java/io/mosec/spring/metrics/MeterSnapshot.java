package io.mosec.spring.metrics;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What a worker sends of its meters: each meter's identity and cumulative values as they are
 * now. The server turns the change since the last snapshot into its own meters' records.
 *
 * @param meters the worker's meters
 */
public record MeterSnapshot(List<Sample> meters) {

	public MeterSnapshot {
		meters = List.copyOf(meters);
	}

	/** The kinds of meter that cross: Micrometer's, but for long task timers and custom meters. */
	public enum Kind {

		/** {@code value} is the cumulative count. */
		COUNTER,

		/** {@code value} is the current value. */
		GAUGE,

		/** {@code value} is the current value, in seconds. */
		TIME_GAUGE,

		/** {@code count} and {@code value} (the total, in seconds) are cumulative, {@code max} in seconds. */
		TIMER,

		/** {@code count} and {@code value} (the total) are cumulative. */
		SUMMARY

	}

	/**
	 * One meter. An array on the wire: a snapshot of hundreds of meters stays a few kilobytes.
	 *
	 * @param name the meter's name
	 * @param kind its kind
	 * @param tags its tags, key then value
	 * @param unit its base unit, or {@code null}
	 * @param description its description, or {@code null}
	 * @param value the count, the current value or the total, as the kind says
	 * @param count a timer's or a summary's count
	 * @param max a timer's or a summary's max (NaN when unknown)
	 */
	@JsonFormat(shape = JsonFormat.Shape.ARRAY)
	public record Sample(String name, Kind kind, List<String> tags, String unit, String description, double value,
			double count, double max) {

		public Sample {
			tags = List.copyOf(tags);
		}

	}

}
