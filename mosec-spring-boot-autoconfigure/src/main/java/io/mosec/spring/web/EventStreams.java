package io.mosec.spring.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mosec.spring.task.Task;
import io.mosec.spring.task.TaskResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.codec.ServerSentEvent;

/**
 * The Server-Sent Events of a streaming route: one {@code data} event per event the stage
 * sent, one {@code error} event if the task failed, and keep-alive comments while it is idle.
 */
final class EventStreams {

	/** Long enough not to matter, short enough for proxies that close idle connections at 5 s. */
	static final Duration KEEP_ALIVE = Duration.ofSeconds(3);

	private static final ServerSentEvent<Object> KEEP_ALIVE_COMMENT = ServerSentEvent.builder()
		.comment("keep-alive")
		.build();

	private static final ServerSentEvent<Object> START = ServerSentEvent.builder().comment("start").build();

	private EventStreams() {
	}

	/**
	 * The events of a streaming task, ending with an {@code error} event when it fails.
	 * @param task the task
	 * @return the events
	 */
	static Flux<ServerSentEvent<Object>> of(Task task) {
		Flux<ServerSentEvent<Object>> data = task.events()
			.map((bytes) -> ServerSentEvent.builder((Object) new String(bytes, StandardCharsets.UTF_8)).build());
		Flux<ServerSentEvent<Object>> end = task.result()
			.filter((result) -> result.status() != 200)
			.map(EventStreams::error)
			.flux();
		return data.concatWith(end);
	}

	/**
	 * Adds a keep-alive comment whenever the events pause for the interval: the first after
	 * the interval without any event, the next one interval later, until the next event.
	 * @param events the events
	 * @param interval the longest silence
	 * @param timer the scheduler of the comments
	 * @return the events with keep-alive comments
	 */
	static Flux<ServerSentEvent<Object>> withKeepAlive(Flux<ServerSentEvent<Object>> events, Duration interval,
			Scheduler timer) {
		return events.publish((shared) -> {
			// Each event restarts the comment timer (switchMap cancels the previous one). Events
			// themselves never pass through switchMap: it drops what a slow reader has not taken yet.
			Flux<ServerSentEvent<Object>> comments = shared.startWith(START)
				.switchMap((event) -> Flux.interval(interval, interval, timer).map((tick) -> KEEP_ALIVE_COMMENT))
				.takeUntilOther(shared.then(Mono.just(Boolean.TRUE)));
			return Flux.merge(shared, comments);
		});
	}

	private static ServerSentEvent<Object> error(TaskResult result) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("status", result.status());
		data.put("detail", result.detail());
		if (!result.errors().isEmpty()) {
			data.put("errors", result.errors());
		}
		return ServerSentEvent.builder((Object) data).event("error").build();
	}

}
