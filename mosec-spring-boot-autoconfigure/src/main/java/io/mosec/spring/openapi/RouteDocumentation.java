package io.mosec.spring.openapi;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mosec.spring.api.FieldError;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageRegistry;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Adds every Mosec route to the OpenAPI document: the request schema from the ingress
 * stage's input type, the response schema from the egress stage's output type (or its event
 * type for a stream), each for JSON and msgpack, and the statuses the route can answer.
 * <p>
 * The routes are functional endpoints built at startup, so springdoc cannot find them by
 * itself; stages are plain beans, so their types are all we know, and all a client needs.
 */
public final class RouteDocumentation implements OpenApiCustomizer {

	static final String PROBLEM_SCHEMA = "MosecProblem";

	private static final String PROBLEM_JSON = "application/problem+json";

	/** The statuses every route can answer besides 200, in Mosec's words. */
	private static final Map<Integer, String> STATUSES = statuses();

	private final StageRegistry registry;

	public RouteDocumentation(StageRegistry registry) {
		this.registry = registry;
	}

	private static Map<Integer, String> statuses() {
		Map<Integer, String> statuses = new LinkedHashMap<>();
		for (Failure failure : Failure.values()) {
			if (failure.documentation() != null) {
				statuses.put(failure.status(), failure.documentation());
			}
		}
		return statuses;
	}

	@Override
	public void customise(OpenAPI openApi) {
		Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
		openApi.setComponents(components);
		ModelConverters converters = ModelConverters.getInstance(openApi.getOpenapi() != null
				&& openApi.getOpenapi().startsWith("3.1"));
		components.addSchemas(PROBLEM_SCHEMA, problemSchema(converters, components));
		for (RouteDefinition route : this.registry.routes()) {
			openApi.path(route.path(), new PathItem().post(operation(route, converters, components)));
		}
	}

	private Operation operation(RouteDefinition route, ModelConverters converters, Components components) {
		String stages = String.join(" -> ", route.stages().stream().map(StageDefinition::name).toList());
		StageDefinition ingress = route.ingress();
		StageDefinition egress = route.egress();
		Content request = ingress.rawInput() ? content(new BinarySchema(), "application/octet-stream")
				: content(schema(ingress.inputType(), converters, components), "application/json",
						"application/msgpack");
		ApiResponses responses = new ApiResponses();
		responses.addApiResponse("200", new ApiResponse()
			.description(route.streaming() ? "Server-Sent Events: one event per output of stage '" + egress.name()
					+ "', then the end of the stream; a failure sends one 'error' event with its status and detail"
					: "The output of stage '" + egress.name() + "'")
			.content(response(egress, converters, components)));
		Schema<?> problem = new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA);
		STATUSES.forEach((status, description) -> responses.addApiResponse(Integer.toString(status),
				new ApiResponse().description(description).content(content(problem, PROBLEM_JSON))));
		return new Operation().operationId("mosec" + route.path().replaceAll("[^A-Za-z0-9]+", "_"))
			.summary("Inference through " + stages)
			.addTagsItem("mosec")
			.requestBody(new RequestBody().required(true).content(request))
			.responses(responses);
	}

	private static Content response(StageDefinition egress, ModelConverters converters, Components components) {
		if (egress.streaming()) {
			return content(schema(egress.outputType(), converters, components), "text/event-stream");
		}
		if (egress.rawOutput()) {
			return content(new BinarySchema(), "application/octet-stream");
		}
		return content(schema(egress.outputType(), converters, components), "application/json", "application/msgpack");
	}

	private static Schema<?> schema(Type type, ModelConverters converters, Components components) {
		if (type == Object.class) {
			// A stage without type arguments takes and gives any JSON value.
			return new Schema<>().description("Any JSON (or msgpack) value");
		}
		ResolvedSchema resolved = converters.resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
		if (resolved == null || resolved.schema == null) {
			return new Schema<>().description("Any JSON (or msgpack) value");
		}
		if (resolved.referencedSchemas != null) {
			resolved.referencedSchemas.forEach(components::addSchemas);
		}
		return resolved.schema;
	}

	private static Schema<?> problemSchema(ModelConverters converters, Components components) {
		return new ObjectSchema().description("An RFC 9457 problem detail")
			.addProperty("type", new StringSchema())
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema())
			.addProperty("errors", new ArraySchema().items(schema(FieldError.class, converters, components)));
	}

	private static Content content(Schema<?> schema, String... mediaTypes) {
		Content content = new Content();
		for (String type : mediaTypes) {
			content.addMediaType(type, new MediaType().schema(schema));
		}
		return content;
	}

}
