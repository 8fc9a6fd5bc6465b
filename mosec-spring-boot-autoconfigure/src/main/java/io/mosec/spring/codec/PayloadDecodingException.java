package io.mosec.spring.codec;

/**
 * A payload does not decode to the stage's input type; the message is safe to show a client.
 */
public class PayloadDecodingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PayloadDecodingException(String message) {
		super(message);
	}

	public PayloadDecodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
