package io.mosec.spring.api;

/**
 * One invalid field of a request, as listed in a 422 problem detail's {@code errors}.
 *
 * @param field the field's path in the request, such as {@code input} or {@code items[2].name}
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {

}
