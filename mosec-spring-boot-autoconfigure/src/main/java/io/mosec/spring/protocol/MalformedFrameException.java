package io.mosec.spring.protocol;

/**
 * Bytes on a worker connection do not form a valid frame: truncated, or claiming more items or
 * bytes than the limits allow. The connection cannot be trusted any further.
 */
public class MalformedFrameException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public MalformedFrameException(String message) {
		super(message);
	}

}
