package io.mosec.spring.protocol;

/**
 * Bit values used in {@link Frame#flag()} and {@link Frame.Item#state()}.
 * <p>
 * The status values and the ingress/egress state bits are Mosec's; the format bits and the
 * per-item status in a reply are our extensions, in bits Mosec leaves free.
 */
public final class Flags {

	/** Request item: the payload is the raw HTTP body, to be decoded by the stage. */
	public static final int INGRESS = 1;

	/** Request item: the output is the HTTP response body, to be encoded by the stage. */
	public static final int EGRESS = 2;

	/** Request item, with {@link #INGRESS}: the body is msgpack (JSON otherwise). */
	public static final int MSGPACK_IN = 4;

	/** Request item, with {@link #EGRESS}: the response is msgpack (JSON otherwise). */
	public static final int MSGPACK_OUT = 8;

	/**
	 * Request item of a Python stage: the input comes from a Python stage, pickled (Mosec's
	 * format between Python stages); msgpack otherwise.
	 */
	public static final int PICKLE_IN = 16;

	/** Request item of a Python stage: the output goes to a Python stage, pickled; msgpack otherwise. */
	public static final int PICKLE_OUT = 32;

	/**
	 * Sent by a worker while it runs a batch of a streaming stage: each item is one event of
	 * the task with its id, the batch's reply follows the last event.
	 */
	public static final int STREAM_EVENT = 1 << 13;

	/**
	 * Sent by the server while a worker runs a batch of a streaming stage: the items' ids name
	 * tasks whose client has gone. A worker ignores ids it is not running.
	 */
	public static final int CANCEL = 1 << 12;

	/**
	 * Sent by the server just before a batch some of whose tasks are traced: each item's id names
	 * one of those tasks, its payload is the task's trace context (the propagation fields, W3C's
	 * {@code traceparent} by default, as a msgpack map). The worker opens its spans under it.
	 */
	public static final int TRACE = 1 << 10;

	/**
	 * Sent by a worker now and then (at most twice a second, and only when they changed): its one
	 * item's payload is a snapshot of the meters its stage records, for the server to publish.
	 */
	public static final int METRICS = 1 << 11;

	/** Sent once by a worker when it has warmed up and connected: its one item's id is the worker id. */
	public static final int HELLO = 1 << 14;

	/** Reply: handled. */
	public static final int OK = 1;

	/** Reply: the input could not be decoded, or the stage threw a client error ({@link Failure}). */
	public static final int BAD_REQUEST = 2;

	/** Reply: the stage rejected the input as invalid ({@link Failure}). */
	public static final int VALIDATION_ERROR = 4;

	/** Reply: the stage failed ({@link Failure}). */
	public static final int INTERNAL_ERROR = 8;

	/**
	 * Reply: the stage gave up on a deadline of its own (a Python stage's {@code MosecTimeoutError},
	 * Mosec's value); the server's own stage timeout needs no flag, it times a batch out itself.
	 */
	public static final int TIMEOUT = 16;

	private Flags() {
	}

}
