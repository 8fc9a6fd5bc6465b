package io.mosec.spring.stage;

/**
 * The stage or route configuration is wrong; the message names the property and the fix.
 */
public class MosecConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public MosecConfigurationException(String message) {
		super(message);
	}

}
