package io.mosec.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.worker.WorkerStartupException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code mosec} management endpoint: every stage's workers and settings, and, at runtime, a
 * stage's pool resized ({@code {"num": N}}) or restarted one worker at a time
 * ({@code {"restart": true}}). Exposed over HTTP only when
 * {@code management.endpoints.web.exposure.include} names it; Actuator's access settings govern
 * it ({@code management.endpoint.mosec.access=read-only} keeps the changes out).
 */
@Endpoint(id = "mosec")
public class MosecEndpoint {

	/** The most workers a stage can be resized to: a bound on what one request can start. */
	public static final int MAX_WORKERS = 64;

	private final Pipeline pipeline;

	private final StageRegistry registry;

	public MosecEndpoint(Pipeline pipeline, StageRegistry registry) {
		this.pipeline = pipeline;
		this.registry = registry;
	}

	/**
	 * Every stage with workers.
	 * @return the stages, in route order
	 */
	@ReadOperation
	public Stages stages() {
		Map<String, Stage> stages = new LinkedHashMap<>();
		this.pipeline.pools().forEach((pool) -> stages.put(pool.stage().name(), describe(pool)));
		return new Stages(stages);
	}

	/**
	 * One stage.
	 * @param stage its name
	 * @return the stage, or {@code null} (404) if no route uses it
	 */
	@ReadOperation
	public @Nullable Stage stage(@Selector String stage) {
		WorkerPool pool = this.pipeline.pool(stage);
		return (pool != null) ? describe(pool) : null;
	}

	/**
	 * Resizes or restarts a stage's pool; answers once the change is done.
	 * @param stage its name
	 * @param num the number of workers to have
	 * @param restart {@code true} for a rolling restart
	 * @return the stage after the change
	 */
	@WriteOperation
	public Mono<Stage> change(@Selector String stage, @Nullable Integer num, @Nullable Boolean restart) {
		WorkerPool pool = this.pipeline.pool(stage);
		if (pool == null) {
			throw new InvalidEndpointRequestException("No stage '" + stage + "'; stages: "
					+ this.pipeline.pools().stream().map((each) -> each.stage().name()).toList(), "unknown stage");
		}
		if ((num == null) == !Boolean.TRUE.equals(restart)) {
			throw new InvalidEndpointRequestException("Send either {\"num\": N} or {\"restart\": true}",
					"one change at a time");
		}
		if (num != null && (num < 1 || num > MAX_WORKERS)) {
			throw new InvalidEndpointRequestException("num must be between 1 and " + MAX_WORKERS + " (was " + num + ")",
					"num out of range");
		}
		CompletableFuture<Void> change = (num != null) ? pool.resize(num) : pool.restart();
		return Mono.fromFuture(change).then(Mono.fromSupplier(() -> describe(pool))).onErrorMap(MosecEndpoint::refused);
	}

	private static Throwable refused(Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		if (cause instanceof UnsupportedOperationException || cause instanceof IllegalArgumentException
				|| cause instanceof WorkerStartupException) {
			return new InvalidEndpointRequestException(cause.getMessage(), cause.getMessage());
		}
		return cause;
	}

	private Stage describe(WorkerPool pool) {
		StageDefinition stage = pool.stage();
		PoolStatus status = pool.status();
		List<String> routes = this.registry.routes()
			.stream()
			.filter((route) -> route.stages().contains(stage))
			.map(RouteDefinition::path)
			.toList();
		return new Stage(status.desired(), status.live(), status.ready(), status.workers(), status.restarts(),
				this.pipeline.queued(stage.name()), stage.maxBatchSize(), stage.maxWaitTime().toString(),
				stage.timeout().toString(), routes);
	}

	/**
	 * Every stage.
	 *
	 * @param stages by name
	 */
	public record Stages(Map<String, Stage> stages) {
	}

	/**
	 * One stage as it runs.
	 *
	 * @param desired the workers asked for
	 * @param live workers running
	 * @param ready workers taking batches
	 * @param workers each live worker: id, pid ({@code -1} for a thread), ready
	 * @param restarts worker restarts since startup
	 * @param queued tasks waiting for a worker
	 * @param maxBatchSize the largest batch
	 * @param maxWaitTime the longest wait for a batch to fill (ISO-8601)
	 * @param timeout the stage timeout (ISO-8601)
	 * @param routes the paths of the routes it serves
	 */
	public record Stage(int desired, int live, int ready, List<PoolStatus.Worker> workers, long restarts, int queued,
			int maxBatchSize, String maxWaitTime, String timeout, List<String> routes) {
	}

}
