package io.mosec.spring.task;

import java.util.List;

import io.mosec.spring.api.FieldError;
import io.mosec.spring.protocol.ErrorReport;
import io.mosec.spring.protocol.Failure;

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
	 * @param failure what failed
	 * @param message what to say after the failure's prefix, or {@code null} for the prefix alone
	 * @return the result
	 */
	public static TaskResult failed(Failure failure, String message) {
		return new TaskResult(failure.status(), null, failure.detail(message), List.of());
	}

	/**
	 * A failure a worker reported for one item.
	 * @param flag the item's flag
	 * @param report the item's payload: the detail, already in Mosec's words, and invalid fields
	 * @return the result
	 */
	public static TaskResult reported(int flag, ErrorReport report) {
		return new TaskResult(Failure.ofFlag(flag).status(), null, report.detail(), report.errors());
	}

	/**
	 * The request's deadline passed.
	 * @return the result
	 */
	public static TaskResult timeout() {
		return failed(Failure.TIMEOUT, null);
	}

	/**
	 * The client went away; nobody reads this result.
	 * @return the result
	 */
	public static TaskResult cancelled() {
		return failed(Failure.CLIENT_CLOSED, null);
	}

}
