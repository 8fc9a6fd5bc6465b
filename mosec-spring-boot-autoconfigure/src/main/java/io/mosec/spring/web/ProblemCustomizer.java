package io.mosec.spring.web;

import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Adds members to the problem details the inference routes answer, for clients that read an
 * error from a shape of their own (OpenAI's clients read {@code error.message}, say). Beans of
 * this type apply to every route, in their order; a customizer changes only what it adds.
 */
@FunctionalInterface
public interface ProblemCustomizer {

	/** Adds nothing. */
	ProblemCustomizer NONE = (problem, request) -> {
	};

	/**
	 * Customizes one problem before it is written.
	 * @param problem the problem: status, detail, instance (the request path) set
	 * @param request the request it answers
	 */
	void customize(ProblemDetail problem, ServerRequest request);

}
