package io.mosec.spring.worker.child;

import java.util.List;

import io.mosec.spring.api.FieldError;

/**
 * Checks a decoded ingress input before it reaches {@code forward}.
 */
@FunctionalInterface
public interface InputValidator {

	/** Accepts every input. */
	InputValidator NONE = (input) -> List.of();

	/**
	 * Validates one input.
	 * @param input the decoded input
	 * @return its invalid fields, empty when it is valid
	 */
	List<FieldError> validate(Object input);

}
