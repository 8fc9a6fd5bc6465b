package io.mosec.spring.api;

/**
 * Thrown by a stage when the request is wrong in a way the client can fix: the request is answered with
 * {@code 400 Bad Request}, and the message becomes the problem detail.
 */
public class ClientException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ClientException(String message) {
		super(message);
	}

	public ClientException(String message, Throwable cause) {
		super(message, cause);
	}

}
