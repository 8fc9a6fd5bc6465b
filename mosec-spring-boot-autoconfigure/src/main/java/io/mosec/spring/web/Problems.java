package io.mosec.spring.web;

import java.net.URI;
import java.util.List;

import io.mosec.spring.api.FieldError;
import io.mosec.spring.protocol.Failure;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * RFC 9457 problem details for every error the routes answer; the detail is in Mosec's words
 * and never carries a stack trace.
 */
final class Problems {

	private final ProblemCustomizer customizer;

	Problems(ProblemCustomizer customizer) {
		this.customizer = customizer;
	}

	Mono<ServerResponse> respond(Failure failure, String message, ServerRequest request) {
		return respond(failure.status(), failure.detail(message), List.of(), request);
	}

	Mono<ServerResponse> respond(int status, String detail, List<FieldError> errors, ServerRequest request) {
		ProblemDetail problem = problem(status, detail, request);
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors);
		}
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
	}

	Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
		Failure failure = Failure.METHOD_NOT_ALLOWED;
		String detail = failure.detail(request.method() + " " + request.path() + " (use POST)");
		return ServerResponse.status(failure.status())
			.allow(HttpMethod.POST)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problem(failure.status(), detail, request));
	}

	private ProblemDetail problem(int status, String detail, ServerRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		problem.setInstance(URI.create(request.path()));
		this.customizer.customize(problem, request);
		return problem;
	}

}
