package io.mosec.sample;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mosec.spring.web.ProblemCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The parts of the OpenAI API around the embeddings route: the model list clients ask for
 * first, and errors in the shape OpenAI's clients read ({@code error.message}) next to our
 * problem details; TEI's error shape on {@code /embed}.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiContract {

	private final Map<String, Object> model = Map.of("id", EmbeddingModel.NAME, "object", "model", "created",
			Instant.now().getEpochSecond(), "owned_by", "mosec-sample");

	/**
	 * Every problem of the {@code /v1} routes also carries OpenAI's {@code error} object, and of
	 * TEI's {@code /embed} TEI's {@code error} and {@code error_type}: what each one's clients show.
	 */
	@Bean
	ProblemCustomizer clientErrors() {
		return (problem, request) -> {
			if (request.path().startsWith("/v1/")) {
				problem.setProperty("error", error(problem.getDetail(), problem.getStatus(), null));
			}
			else if (request.path().equals("/embed")) {
				problem.setProperty("error", problem.getDetail());
				problem.setProperty("error_type", (problem.getStatus() < 500) ? "Validation" : "Backend");
			}
		};
	}

	/** {@code GET /v1/models} and {@code GET /v1/models/{id}}. */
	@Bean
	RouterFunction<ServerResponse> openAiModels() {
		return RouterFunctions.route()
			.GET("/v1/models", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("object", "list", "data", List.of(this.model))))
			.GET("/v1/models/{id}", (request) -> {
				String id = request.pathVariable("id");
				if (EmbeddingModel.NAME.equals(id)) {
					return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(this.model);
				}
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
						"The model '" + id + "' does not exist; this service serves '" + EmbeddingModel.NAME + "'");
				problem.setInstance(URI.create(request.path()));
				problem.setProperty("error", error(problem.getDetail(), 404, "model_not_found"));
				return ServerResponse.status(HttpStatus.NOT_FOUND)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.bodyValue(problem);
			})
			.build();
	}

	/** OpenAI's error object: its clients show {@code message}; {@code type} tells the caller's errors from ours. */
	private static Map<String, Object> error(String message, int status, String code) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("type", (status < 500) ? "invalid_request_error" : "server_error");
		error.put("param", null);
		error.put("code", code);
		return error;
	}

}
