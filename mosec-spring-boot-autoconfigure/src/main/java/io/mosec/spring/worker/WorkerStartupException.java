package io.mosec.spring.worker;

/**
 * A worker could not start or warm up; the message names the stage.
 */
public class WorkerStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WorkerStartupException(String message, Throwable cause) {
		super(message, cause);
	}

}
