package io.mosec.spring.task;

import java.util.List;

import io.mosec.spring.api.FieldError;

/**
 * How a request ended.
 *
 * @param status the HTTP status
 * @param body the response body when the status is 200
 * @param detail the problem detail otherwise
 * @param errors the invalid fields of a 422, empty otherwise
 */
public record TaskResult(int status, byte[] body, String detail, List<FieldError> errors) {

	public TaskResult {
		errors = (errors != null) ? List.copyOf(errors) : List.of();
	}

	/**
	 * A successful answer.
	 * @param body the encoded response
	 * @return the result
	 */
	public static TaskResult ok(byte[] body) {
		return new TaskResult(200, body, null, List.of());
	}

	/**
	 * A failed answer.
	 * @param status the HTTP status
	 * @param detail the problem detail, in Mosec's style
	 * @return the result
	 */
	public static TaskResult error(int status, String detail) {
		return new TaskResult(status, null, detail, List.of());
	}

	/**
	 * A failed answer that lists the invalid fields.
	 * @param status the HTTP status
	 * @param detail the problem detail
	 * @param errors the invalid fields
	 * @return the result
	 */
	public static TaskResult error(int status, String detail, List<FieldError> errors) {
		return new TaskResult(status, null, detail, errors);
	}

	/**
	 * The request's deadline passed.
	 * @return the result
	 */
	public static TaskResult timeout() {
		return error(408, "request timeout");
	}

	/**
	 * The client went away; nobody reads this result.
	 * @return the result
	 */
	public static TaskResult cancelled() {
		return error(499, "client closed the request");
	}

}
