package io.mosec.spring.codec;

/**
 * A stage's output cannot be encoded.
 */
public class PayloadEncodingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PayloadEncodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
