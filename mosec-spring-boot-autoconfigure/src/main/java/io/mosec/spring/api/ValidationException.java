package io.mosec.spring.api;

/**
 * Thrown by a stage when the request is well-formed but its content is invalid: the request is answered with
 * {@code 422 Unprocessable Content}, and the message becomes the problem detail.
 */
public class ValidationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ValidationException(String message) {
		super(message);
	}

	public ValidationException(String message, Throwable cause) {
		super(message, cause);
	}

}
