package io.mosec.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code mosec} health: each stage's desired, live and ready workers, restarts and queued
 * tasks; DOWN while any stage has no live worker.
 */
public final class MosecHealthIndicator extends AbstractHealthIndicator {

	private final Pipeline pipeline;

	public MosecHealthIndicator(Pipeline pipeline) {
		super("Mosec health check failed");
		this.pipeline = pipeline;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = true;
		Map<String, Object> stages = new LinkedHashMap<>();
		for (WorkerPool pool : this.pipeline.pools()) {
			PoolStatus status = pool.status();
			up &= status.live() > 0;
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("desired", status.desired());
			details.put("live", status.live());
			details.put("ready", status.ready());
			details.put("restarts", status.restarts());
			details.put("queued", this.pipeline.queued(pool.stage().name()));
			stages.put(pool.stage().name(), details);
		}
		(up ? builder.up() : builder.down()).withDetail("stages", stages);
	}

}
