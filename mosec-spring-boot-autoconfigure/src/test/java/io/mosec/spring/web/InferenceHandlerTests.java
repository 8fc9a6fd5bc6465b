package io.mosec.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.worker.WorkerReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The handler's admission (503 before warm-up and after shutdown has begun), and the members an
 * application adds to its problem details.
 */
class InferenceHandlerTests {

	private final StageDefinition echo = new StageDefinition("echo", "echo", Object.class, 0, 1, 1,
			Duration.ofMillis(10), Duration.ofSeconds(1), StageKind.WORKER, Object.class, Object.class, List.of(), List.of());

	private final Pipeline pipeline = new Pipeline(List.of(new EchoPool(this.echo)), PipelineListener.NONE);

	private final InFlightTable inFlight = new InFlightTable(8);

	private final WebTestClient client = WebTestClient
		.bindToRouterFunction(new InferenceHandler(this.pipeline, this.inFlight, Duration.ofSeconds(1), 1024, PipelineListener.NONE)
			.routerFunction(List.of(new RouteDefinition("/inference", List.of(this.echo)))))
		.build();

	@AfterEach
	void stop() {
		this.pipeline.stop();
	}

	@Test
	void answers503UntilWarmUpHasFinished() {
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody().jsonPath("$.detail").isEqualTo("service unavailable: the service is warming up");
	}

	@Test
	void answersOnceOpen() {
		this.pipeline.start();
		this.inFlight.open();
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"a\":1}")
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class).isEqualTo(Map.of("a", 1));
	}

	@Test
	void answers503OnceShutdownHasBegun() {
		this.pipeline.start();
		this.inFlight.open();
		this.inFlight.close();
		this.client.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody().jsonPath("$.detail").isEqualTo("service unavailable: the service is shutting down");
	}

	@Test
	void addsWhatAProblemCustomizerAddsToEveryProblem() {
		WebTestClient customized = WebTestClient
			.bindToRouterFunction(new InferenceHandler(this.pipeline, this.inFlight, Duration.ofSeconds(1), 1024,
					PipelineListener.NONE, (problem, request) -> problem.setProperty("error",
							Map.of("message", problem.getDetail(), "path", request.path())))
				.routerFunction(List.of(new RouteDefinition("/inference", List.of(this.echo)))))
			.build();
		customized.post().uri("/inference").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("service unavailable: the service is warming up")
			.jsonPath("$.error.message").isEqualTo("service unavailable: the service is warming up")
			.jsonPath("$.error.path").isEqualTo("/inference");
		customized.get().uri("/inference").exchange()
			.expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectBody().jsonPath("$.error.message").exists();
	}

	/** Answers every task with its own bytes, as a JSON echo stage would. */
	private record EchoPool(StageDefinition stage) implements WorkerPool {

		@Override
		public CompletableFuture<Void> start() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
			return Mono.just(new WorkerReply(1, new Frame(Flags.OK, batch.items().stream()
				.map((item) -> new Frame.Item(item.id(), Flags.OK, item.payload()))
				.toList()), 0));
		}

		@Override
		public PoolStatus status() {
			return new PoolStatus(1, 1, 1, 0, List.of());
		}

		@Override
		public void close() {
		}

	}

}
