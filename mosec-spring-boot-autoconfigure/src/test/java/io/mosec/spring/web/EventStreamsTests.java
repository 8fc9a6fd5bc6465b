package io.mosec.spring.web;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive comments on an idle event stream.
 */
class EventStreamsTests {

	@Test
	void sendsAKeepAliveCommentEveryThreeSecondsOfSilenceOnly() {
		StepVerifier.withVirtualTime(() -> {
			// Events at 1 s, 2 s and 9 s, then the end at 10 s.
			Flux<ServerSentEvent<Object>> events = Flux.concat(event("a", 1), event("b", 1), event("c", 7),
					Flux.<ServerSentEvent<Object>>empty().delaySubscription(Duration.ofSeconds(1)));
			return EventStreams.withKeepAlive(events, EventStreams.KEEP_ALIVE, Schedulers.parallel())
				.map((event) -> (event.data() != null) ? "data " + event.data() : "comment " + event.comment());
		})
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext("data a")
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext("data b")
			// 7 s of silence: comments at 5 s and 8 s, none in between or after the next event.
			.expectNoEvent(Duration.ofSeconds(3))
			.expectNext("comment keep-alive")
			.expectNoEvent(Duration.ofSeconds(3))
			.expectNext("comment keep-alive")
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext("data c")
			.expectNoEvent(Duration.ofSeconds(1))
			.verifyComplete();
	}

	@Test
	void aStreamThatStaysSilentGetsCommentsUntilItsFirstEvent() {
		StepVerifier.withVirtualTime(() -> EventStreams
			.withKeepAlive(event("late", 7), EventStreams.KEEP_ALIVE, Schedulers.parallel())
			.map((event) -> (event.data() != null) ? "data " + event.data() : "comment"))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(3))
			.expectNext("comment")
			.expectNoEvent(Duration.ofSeconds(3))
			.expectNext("comment")
			.expectNoEvent(Duration.ofSeconds(1))
			.expectNext("data late")
			.verifyComplete();
	}

	@Test
	void losesNoEventWhenTheReaderIsSlowerThanTheStage() {
		// The stage sends its events at once, as a worker does; the reader takes one at a time, as a
		// response written to a slow socket does.
		Sinks.Many<ServerSentEvent<Object>> stage = Sinks.many().unicast().onBackpressureBuffer();
		for (int n = 1; n <= 100; n++) {
			stage.tryEmitNext(ServerSentEvent.builder((Object) n).build());
		}
		stage.tryEmitComplete();
		List<Object> received = new ArrayList<>();
		StepVerifier.create(EventStreams.withKeepAlive(stage.asFlux(), EventStreams.KEEP_ALIVE, Schedulers.parallel())
			.map(ServerSentEvent::data)
			.limitRate(1), 0)
			.thenRequest(1)
			.consumeNextWith(received::add)
			.thenRequest(Long.MAX_VALUE)
			.recordWith(() -> received)
			.thenConsumeWhile((event) -> true)
			.verifyComplete();
		assertThat(received).hasSize(100);
	}

	private static Flux<ServerSentEvent<Object>> event(String data, int afterSeconds) {
		return Flux.just(ServerSentEvent.builder((Object) data).build()).delaySubscription(Duration.ofSeconds(afterSeconds));
	}

}
