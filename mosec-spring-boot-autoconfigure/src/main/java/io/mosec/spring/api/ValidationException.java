package io.mosec.spring.api;

import java.util.List;

/**
 * Thrown by a stage when the request is well-formed but its content is invalid: the request is
 * answered with {@code 422 Unprocessable Content}, the message becomes the problem detail and
 * the field errors, if any, its {@code errors}.
 */
public class ValidationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final List<FieldError> errors;

	public ValidationException(String message) {
		this(message, List.of());
	}

	public ValidationException(String message, Throwable cause) {
		super(message, cause);
		this.errors = List.of();
	}

	/**
	 * Creates an exception that lists the invalid fields.
	 * @param message the problem detail
	 * @param errors the invalid fields
	 */
	public ValidationException(String message, List<FieldError> errors) {
		super(message);
		this.errors = List.copyOf(errors);
	}

	/**
	 * The invalid fields.
	 * @return the field errors, empty when the message says it all
	 */
	public List<FieldError> getErrors() {
		return this.errors;
	}

}
