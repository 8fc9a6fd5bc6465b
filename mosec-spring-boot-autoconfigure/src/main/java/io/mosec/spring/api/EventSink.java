package io.mosec.spring.api;

/**
 * The events of one stream, handed to {@link StreamWorker#forward}.
 *
 * @param <O> the event type
 */
public interface EventSink<O> {

	/**
	 * Sends one event to the client now.
	 * @param event the event, not {@code null}
	 * @throws StreamClosedException if the client has gone: stop producing and return
	 */
	void send(O event);

	/**
	 * Whether the client is still listening; a stream may check it between costly steps.
	 * @return false once the client has gone
	 */
	boolean isOpen();

}
