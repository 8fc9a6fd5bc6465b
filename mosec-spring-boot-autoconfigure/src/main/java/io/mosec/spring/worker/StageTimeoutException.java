package io.mosec.spring.worker;

/**
 * A {@code forward} ran longer than its stage's timeout.
 */
public class StageTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public StageTimeoutException(String message) {
		super(message);
	}

}
