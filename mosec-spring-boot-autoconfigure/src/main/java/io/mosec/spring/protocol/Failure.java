package io.mosec.spring.protocol;

/**
 * Every way a request can fail, in one table: the HTTP status the client gets, the flag a worker
 * puts on the item (where the failure happens in a worker), and the start of the problem detail
 * in Mosec's words. Adding a failure means adding a row here.
 */
public enum Failure {

	/** The body cannot be decoded into the stage's input type. */
	DECODING_ERROR(400, Flags.BAD_REQUEST, "decoding error",
			"The body cannot be decoded into the input type, or is empty"),

	/** The body is empty, or the stage refused the input ({@code ClientException}). */
	BAD_REQUEST(400, Flags.BAD_REQUEST, "bad request", null),

	/** The request outlived its deadline, or its batch the stage timeout. */
	TIMEOUT(408, Flags.TIMEOUT, "request timeout",
			"The request outlived its deadline (mosec.timeout) or a stage its timeout"),

	/** The body is larger than the limit. */
	PAYLOAD_TOO_LARGE(413, Failure.NO_FLAG, "payload too large", "The body is larger than mosec.max-request-size"),

	/** The content type is neither JSON nor msgpack. */
	UNSUPPORTED_MEDIA_TYPE(415, Failure.NO_FLAG, "unsupported media type",
			"The content type is neither JSON nor msgpack"),

	/** The input is invalid ({@code ValidationException}, Bean Validation). */
	VALIDATION_ERROR(422, Flags.VALIDATION_ERROR, "request validation error",
			"The input is invalid; errors lists the fields at fault"),

	/** The capacity is taken. */
	TOO_MANY_REQUESTS(429, Failure.NO_FLAG, "too many requests", "Too many requests in flight (mosec.capacity)"),

	/** The client went away; nobody reads this answer. */
	CLIENT_CLOSED(499, Failure.NO_FLAG, "client closed the request", null),

	/** A stage failed, or its worker died with the batch. */
	INTERNAL_ERROR(500, Flags.INTERNAL_ERROR, "inference internal error", "A stage failed"),

	/** The service is warming up or shutting down, or a stage stopped. */
	SERVICE_UNAVAILABLE(503, Failure.NO_FLAG, "service unavailable", "The service is warming up or shutting down"),

	/** A route was called with another method than POST. */
	METHOD_NOT_ALLOWED(405, Failure.NO_FLAG, "method not allowed", null);

	/** The flag of a failure that never happens in a worker. */
	private static final int NO_FLAG = 0;

	private final int status;

	private final int flag;

	private final String prefix;

	private final String documentation;

	Failure(int status, int flag, String prefix, String documentation) {
		this.status = status;
		this.flag = flag;
		this.prefix = prefix;
		this.documentation = documentation;
	}

	/**
	 * The HTTP status.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The item flag a worker sends for this failure.
	 * @return the flag
	 * @throws IllegalStateException for a failure that never happens in a worker
	 */
	public int flag() {
		if (this.flag == NO_FLAG) {
			throw new IllegalStateException(this + " never happens in a worker");
		}
		return this.flag;
	}

	/**
	 * The problem detail.
	 * @param message what went wrong, or {@code null} to say no more than the prefix
	 * @return {@code "<prefix>: <message>"}, or the prefix alone
	 */
	public String detail(String message) {
		return (message != null) ? this.prefix + ": " + message : this.prefix;
	}

	/**
	 * What the OpenAPI description says this status means.
	 * @return the description, or {@code null} if another failure documents the status or it
	 * is not documented
	 */
	public String documentation() {
		return this.documentation;
	}

	/**
	 * The failure a worker reported with an item flag.
	 * @param flag the item's flag, not {@link Flags#OK}
	 * @return the failure: an unknown flag is an internal error
	 */
	public static Failure ofFlag(int flag) {
		return switch (flag) {
			case Flags.BAD_REQUEST -> BAD_REQUEST;
			case Flags.VALIDATION_ERROR -> VALIDATION_ERROR;
			case Flags.TIMEOUT -> TIMEOUT;
			default -> INTERNAL_ERROR;
		};
	}

}
