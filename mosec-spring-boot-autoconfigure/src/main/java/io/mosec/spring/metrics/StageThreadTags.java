package io.mosec.spring.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.mosec.spring.support.WorkerLogFields;

/**
 * Thread mode's {@code stage} and {@code worker} tags: a meter registered on a stage's thread
 * (its bean is created there, its {@code forward} runs there) gets them, as a worker process's
 * meters get them on the server. One bean serves all of a stage's threads, so a meter carries
 * the worker whose thread registered it first: worker 1 for those made in the constructor.
 * Mosec's own families and meters that name a stage already are left alone.
 */
public final class StageThreadTags implements MeterFilter {

	private final String namespace;

	/**
	 * Creates the filter.
	 * @param namespace the prefix of Mosec's own families
	 */
	public StageThreadTags(String namespace) {
		this.namespace = namespace;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		String stage = WorkerLogFields.stage();
		if (stage == null || id.getTag(ForwardedMeters.STAGE_TAG) != null || id.getName().startsWith(this.namespace)) {
			return id;
		}
		return id.withTags(Tags.of(ForwardedMeters.STAGE_TAG, stage, ForwardedMeters.WORKER_TAG, WorkerLogFields.worker()));
	}

}
