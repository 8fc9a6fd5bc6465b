package io.mosec.spring.worker;

/**
 * A worker process exited, or its connection broke, while it held a batch.
 */
public class WorkerExitedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WorkerExitedException(String message) {
		super(message);
	}

	public WorkerExitedException(String message, Throwable cause) {
		super(message, cause);
	}

}
