package io.mosec.spring.web;

import java.time.Duration;
import java.util.List;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The inference routes: reads the body (bounded), admits the request, queues it for its
 * route's first stage, and writes whatever the last stage produced. The front end only moves
 * bytes: decoding and encoding happen in the stages.
 */
public final class InferenceHandler {

	private final Pipeline pipeline;

	private final InFlightTable inFlight;

	private final Duration timeout;

	private final int maxRequestSize;

	private final PipelineListener listener;

	private final Problems problems;

	public InferenceHandler(Pipeline pipeline, InFlightTable inFlight, Duration timeout, long maxRequestSize,
			PipelineListener listener) {
		this(pipeline, inFlight, timeout, maxRequestSize, listener, ProblemCustomizer.NONE);
	}

	/**
	 * Creates the handler.
	 * @param pipeline the stages
	 * @param inFlight the requests in flight
	 * @param timeout a request's deadline
	 * @param maxRequestSize the largest body
	 * @param listener told of every answer
	 * @param problems adds members to every problem detail
	 */
	public InferenceHandler(Pipeline pipeline, InFlightTable inFlight, Duration timeout, long maxRequestSize,
			PipelineListener listener, ProblemCustomizer problems) {
		this.problems = new Problems(problems);
		this.pipeline = pipeline;
		this.listener = listener;
		this.inFlight = inFlight;
		this.timeout = timeout;
		this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE - 8, maxRequestSize);
	}

	/**
	 * The router function for the routes: {@code POST} runs the route, other methods get 405.
	 * @param routes the routes
	 * @return the router function, or {@code null} when there are no routes
	 */
	public RouterFunction<ServerResponse> routerFunction(List<RouteDefinition> routes) {
		RouterFunctions.Builder builder = RouterFunctions.route();
		for (RouteDefinition route : routes) {
			builder.POST(route.path(), (request) -> {
				long arrived = System.nanoTime();
				return handle(request, route).doOnNext((response) -> this.listener.requestAnswered(route.path(),
						response.statusCode().value(), System.nanoTime() - arrived));
			});
			builder.route(RequestPredicates.path(route.path()), (request) -> this.problems.methodNotAllowed(request));
		}
		return routes.isEmpty() ? null : builder.build();
	}

	Mono<ServerResponse> handle(ServerRequest request, RouteDefinition route) {
		InFlightTable.Admission admission = this.inFlight.admission();
		if (admission == InFlightTable.Admission.STARTING || admission == InFlightTable.Admission.SHUTTING_DOWN) {
			return unavailable(admission, request);
		}
		MediaType contentType = request.headers().contentType().orElse(null);
		PayloadFormat requestFormat = ContentNegotiation.requestFormat(contentType, route.ingress().rawInput());
		if (requestFormat == null) {
			return this.problems.respond(Failure.UNSUPPORTED_MEDIA_TYPE,
					contentType + " (send application/json or application/msgpack)", request);
		}
		if (request.headers().contentLength().orElse(0) > this.maxRequestSize) {
			return tooLarge(request);
		}
		PayloadFormat responseFormat = ContentNegotiation.responseFormat(request.headers().accept(), requestFormat);
		return readBody(request).flatMap((body) -> Mono.deferContextual((context) -> {
			if (body.length == 0) {
				return this.problems.respond(Failure.BAD_REQUEST, "the request body is empty", request);
			}
			RequestThread thread = RequestThread.of(request);
			Task task = this.inFlight.admit((id) -> new Task(id, route, body, requestFormat, responseFormat, thread));
			if (task == null) {
				InFlightTable.Admission refused = this.inFlight.admission();
				return (refused == InFlightTable.Admission.OVER_CAPACITY || refused == InFlightTable.Admission.ADMITTED)
						? this.problems.respond(Failure.TOO_MANY_REQUESTS,
								this.inFlight.size() + " requests in flight, the capacity", request)
						: unavailable(refused, request);
			}
			task.traced(this.pipeline.traceOf(context));
			if (route.streaming()) {
				return stream(task, thread);
			}
			return run(task, thread).flatMap((result) -> respond(result, route, responseFormat, request));
		})).onErrorResume(DataBufferLimitException.class, (ex) -> tooLarge(request));
	}

	private Mono<TaskResult> run(Task task, RequestThread thread) {
		// Whoever completes the task first wins: its last stage, a failure, or this deadline.
		Runnable cancelDeadline = thread.schedule(() -> task.complete(TaskResult.timeout()), this.timeout);
		this.pipeline.submit(task);
		return task.result().doOnCancel(() -> task.complete(TaskResult.cancelled())).doFinally((signal) -> {
			cancelDeadline.run();
			this.inFlight.remove(task);
		});
	}

	/**
	 * Answers 200 with the task's events as they come. The deadline covers the wait for the
	 * first event; from there the stream's stage timeout bounds it.
	 */
	private Mono<ServerResponse> stream(Task task, RequestThread thread) {
		Runnable cancelDeadline = thread.schedule(() -> task.complete(TaskResult.timeout()), this.timeout);
		this.pipeline.submit(task);
		Flux<ServerSentEvent<Object>> events = EventStreams.of(task).doOnNext((event) -> cancelDeadline.run());
		Flux<ServerSentEvent<Object>> body = EventStreams
			.withKeepAlive(events, EventStreams.KEEP_ALIVE, Schedulers.parallel())
			// A client that goes away ends the task, which tells its worker to stop the stream.
			.doOnCancel(() -> task.complete(TaskResult.cancelled()))
			.doFinally((signal) -> {
				cancelDeadline.run();
				this.inFlight.remove(task);
			});
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.body(BodyInserters.fromServerSentEvents(body));
	}

	private Mono<byte[]> readBody(ServerRequest request) {
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxRequestSize)
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty(new byte[0]);
	}

	private Mono<ServerResponse> respond(TaskResult result, RouteDefinition route, PayloadFormat format,
			ServerRequest request) {
		if (result.status() != 200) {
			return this.problems.respond(result.status(), result.detail(), result.errors(), request);
		}
		MediaType type = ContentNegotiation.responseType(route.egress(), format);
		return ServerResponse.ok().contentType(type).bodyValue(result.body());
	}

	private Mono<ServerResponse> tooLarge(ServerRequest request) {
		return this.problems.respond(Failure.PAYLOAD_TOO_LARGE, "the limit is " + this.maxRequestSize + " bytes", request);
	}

	private Mono<ServerResponse> unavailable(InFlightTable.Admission admission, ServerRequest request) {
		String why = (admission == InFlightTable.Admission.STARTING) ? "the service is warming up"
				: "the service is shutting down";
		return this.problems.respond(Failure.SERVICE_UNAVAILABLE, why, request);
	}

}
