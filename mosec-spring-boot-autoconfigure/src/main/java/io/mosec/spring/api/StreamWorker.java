package io.mosec.spring.api;

import java.util.List;

/**
 * A stage that answers one input with a stream of events, sent as they are produced: the last
 * stage of a route that answers {@code text/event-stream} (Server-Sent Events).
 * <p>
 * It handles one input at a time (its max batch size is 1; run more workers for more streams
 * at once). Its stage timeout bounds a whole stream, so give long streams a longer one.
 *
 * @param <I> the input type: a Jackson-(de)serialisable type, {@code String}, or {@code byte[]}
 * @param <O> the event type: each event's data is its JSON, or the text itself for a
 * {@code String}
 */
public interface StreamWorker<I, O> {

	/**
	 * Handles one input, sending events as they are ready; the stream ends when this returns.
	 * @param input the decoded input, never {@code null}
	 * @param events where the events go
	 * @throws Exception any exception ends the stream with one {@code error} event:
	 * {@link ClientException} with status 400, {@link ValidationException} with 422, anything
	 * else with 500; a {@link StreamClosedException} from {@link EventSink#send} just ends it
	 */
	void forward(I input, EventSink<O> events) throws Exception;

	/**
	 * Inputs run through {@link #forward} before the worker reports ready (warm-up); their
	 * events go nowhere.
	 * @return the warm-up inputs, empty for none
	 */
	default List<I> examples() {
		return List.of();
	}

}
