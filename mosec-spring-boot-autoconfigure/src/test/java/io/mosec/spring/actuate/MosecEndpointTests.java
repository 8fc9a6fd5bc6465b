package io.mosec.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.worker.WorkerReply;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code mosec} endpoint without a server: what it reports, and what it refuses.
 */
class MosecEndpointTests {

	private final StageDefinition stage = new StageDefinition("echo", "echo", Object.class, 0, 2, 4,
			Duration.ofMillis(10), Duration.ofSeconds(3), StageKind.BATCH_WORKER, Object.class, Object.class, List.of(),
			List.of());

	private final FixedPool pool = new FixedPool(this.stage);

	private final MosecEndpoint endpoint = new MosecEndpoint(new Pipeline(List.of(this.pool), PipelineListener.NONE),
			new StageRegistry(List.of(this.stage), List.of(new RouteDefinition("/echo", List.of(this.stage)))));

	@Test
	void describesAStageWithItsWorkersSettingsAndRoutes() {
		MosecEndpoint.Stage echo = this.endpoint.stages().stages().get("echo");
		assertThat(echo.desired()).isEqualTo(2);
		assertThat(echo.workers()).containsExactly(new PoolStatus.Worker(1, 101, true), new PoolStatus.Worker(2, 102, false));
		assertThat(echo.maxBatchSize()).isEqualTo(4);
		assertThat(echo.maxWaitTime()).isEqualTo("PT0.01S");
		assertThat(echo.timeout()).isEqualTo("PT3S");
		assertThat(echo.routes()).containsExactly("/echo");
		assertThat(this.endpoint.stage("nope")).isNull();
	}

	@Test
	void refusesASizeOutOfRangeAnUnknownStageAndAnAmbiguousChange() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("echo", 0, null))
			.withMessage("num must be between 1 and 64 (was 0)");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("echo", MosecEndpoint.MAX_WORKERS + 1, null));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("echo", 2, true))
			.withMessageContaining("either");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("echo", null, null));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("nope", 2, null))
			.withMessage("No stage 'nope'; stages: [echo]");
	}

	@Test
	void refusesToResizeAPoolThatCannotWithWhatItSays() {
		StepVerifier.create(this.endpoint.change("echo", 3, null))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(InvalidEndpointRequestException.class)
				.hasMessageContaining("mosec.worker.mode=thread"))
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(this.endpoint.change("echo", null, true))
			.expectError(InvalidEndpointRequestException.class)
			.verify(Duration.ofSeconds(5));
	}

	/** Two workers, one of them ready; it cannot be resized (the interface's default). */
	private record FixedPool(StageDefinition stage) implements WorkerPool {

		@Override
		public CompletableFuture<Void> start() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
			return Mono.never();
		}

		@Override
		public PoolStatus status() {
			return new PoolStatus(2, 2, 1, 0, List.of(new PoolStatus.Worker(1, 101, true),
					new PoolStatus.Worker(2, 102, false)));
		}

		@Override
		public void close() {
		}

	}

}
