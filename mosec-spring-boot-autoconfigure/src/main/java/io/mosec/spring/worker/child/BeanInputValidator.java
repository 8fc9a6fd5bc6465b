package io.mosec.spring.worker.child;

import java.util.Comparator;
import java.util.List;

import io.mosec.spring.api.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Validates inputs with Jakarta Bean Validation: the constraints on the input type's fields
 * and record components ({@code @NotBlank}, {@code @Size}, {@code @Valid} for nested types).
 */
public final class BeanInputValidator implements InputValidator {

	private final Validator validator;

	public BeanInputValidator(Validator validator) {
		this.validator = validator;
	}

	@Override
	public List<FieldError> validate(Object input) {
		if (input == null || input instanceof byte[] || input instanceof CharSequence) {
			return List.of();
		}
		return this.validator.validate(input)
			.stream()
			.map(BeanInputValidator::fieldError)
			// The validator reports in no particular order; clients and tests read a stable one.
			.sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
			.toList();
	}

	private static FieldError fieldError(ConstraintViolation<Object> violation) {
		return new FieldError(violation.getPropertyPath().toString(), violation.getMessage());
	}

}
