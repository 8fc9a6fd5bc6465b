package io.mosec.spring.api;

/**
 * Thrown by {@link EventSink#send} when the client of a stream has gone: nothing more is
 * delivered, and a {@link StreamWorker} that lets it propagate simply ends the stream.
 */
public class StreamClosedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public StreamClosedException(String message) {
		super(message);
	}

}
