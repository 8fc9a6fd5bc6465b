package io.mosec.spring.api;

/**
 * Thrown by a stage when the service failed to handle a valid request: the request is answered with
 * {@code 500 Internal Server Error}, and the message becomes the problem detail.
 */
public class ServerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ServerException(String message) {
		super(message);
	}

	public ServerException(String message, Throwable cause) {
		super(message, cause);
	}

}
