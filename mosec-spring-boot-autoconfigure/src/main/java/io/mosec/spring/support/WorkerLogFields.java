package io.mosec.spring.support;

import org.slf4j.MDC;

/**
 * The log fields that name a stage and a worker ({@code mosec.stage}, {@code mosec.worker}),
 * set once on each thread that works for one worker: structured logging (ECS, Logstash) shows
 * them as fields, worker output included.
 */
public final class WorkerLogFields {

	/** The MDC key of the stage name. */
	public static final String STAGE = "mosec.stage";

	/** The MDC key of the worker id. */
	public static final String WORKER = "mosec.worker";

	private WorkerLogFields() {
	}

	/**
	 * The stage this thread works for.
	 * @return its name, or {@code null} on a thread of no stage
	 */
	public static String stage() {
		return MDC.get(STAGE);
	}

	/**
	 * The worker this thread works for.
	 * @return its id, or {@code null} on a thread of no stage
	 */
	public static String worker() {
		return MDC.get(WORKER);
	}

	/**
	 * Sets the fields on the thread that runs it.
	 * @param stage the stage
	 * @param workerId the worker
	 * @return what sets them
	 */
	public static Runnable setter(String stage, int workerId) {
		return () -> {
			MDC.put(STAGE, stage);
			MDC.put(WORKER, Integer.toString(workerId));
		};
	}

}
