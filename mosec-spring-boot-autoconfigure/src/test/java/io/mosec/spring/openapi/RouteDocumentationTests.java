package io.mosec.spring.openapi;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;
import io.mosec.spring.stream.ServingStages;
import io.mosec.spring.test.LocalHttp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes in springdoc's OpenAPI document, for a typed route, an untyped one and a stream;
 * and the stream served in thread mode.
 */
@SpringBootTest(classes = RouteDocumentationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=thread", "mosec.routes[0].path=/greet", "mosec.routes[0].stages=greet",
				"mosec.routes[1].path=/anything", "mosec.routes[1].stages=anything", "mosec.routes[2].path=/words",
				"mosec.routes[2].stages=words" })
class RouteDocumentationTests {

	static final List<String> STATUSES = List.of("200", "400", "408", "413", "415", "422", "429", "500", "503");

	final ObjectMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void documentsATypedRouteWithItsInputAndOutputSchemasForJsonAndMsgpack() throws Exception {
		JsonNode document = apiDocs();
		JsonNode post = document.at("/paths/~1greet/post");
		for (String type : List.of("application/json", "application/msgpack")) {
			assertThat(post.at("/requestBody/content/" + type.replace("/", "~1") + "/schema/$ref").asText())
				.isEqualTo("#/components/schemas/Person");
			assertThat(post.at("/responses/200/content/" + type.replace("/", "~1") + "/schema/$ref").asText())
				.isEqualTo("#/components/schemas/Greeting");
		}
		JsonNode person = document.at("/components/schemas/Person");
		assertThat(person.at("/properties/name/type").toString()).contains("string");
		assertThat(person.at("/properties/age/maximum").asInt()).isEqualTo(150);
		assertThat(document.at("/components/schemas/Greeting/properties/text").isMissingNode()).isFalse();
		assertThat(names(post.get("responses"))).containsExactlyElementsOf(STATUSES);
		assertThat(post.at("/responses/422/content/application~1problem+json/schema/$ref").asText())
			.isEqualTo("#/components/schemas/" + RouteDocumentation.PROBLEM_SCHEMA);
		assertThat(document.at("/components/schemas/MosecProblem/properties/errors/items/$ref").asText())
			.isEqualTo("#/components/schemas/FieldError");
	}

	@Test
	void documentsAnUntypedRouteAsAnyValueWithTheSameStatuses() throws Exception {
		JsonNode post = apiDocs().at("/paths/~1anything/post");
		JsonNode request = post.at("/requestBody/content/application~1json/schema");
		assertThat(request.isMissingNode()).isFalse();
		assertThat(request.has("$ref")).isFalse();
		assertThat(request.has("type")).isFalse();
		assertThat(post.at("/responses/200/content/application~1msgpack/schema").has("$ref")).isFalse();
		assertThat(names(post.get("responses"))).containsExactlyElementsOf(STATUSES);
	}

	@Test
	void documentsAStreamAsServerSentEventsOfItsEventType() throws Exception {
		JsonNode post = apiDocs().at("/paths/~1words/post");
		JsonNode ok = post.at("/responses/200/content");
		assertThat(names(ok)).containsExactly("text/event-stream");
		assertThat(ok.at("/text~1event-stream/schema/type").toString()).contains("string");
		assertThat(post.at("/requestBody/content/application~1json/schema/type").toString()).contains("string");
	}

	@Test
	void streamsTextEventsAsTheTextItselfInThreadMode() throws Exception {
		var response = new LocalHttp(this.port).post("/words", "\"streams of words\"");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(response.body()).isEqualTo("data:streams\n\ndata:of\n\ndata:words\n\n");
	}

	private JsonNode apiDocs() throws Exception {
		var response = new LocalHttp(this.port).get("/v3/api-docs");
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static List<String> names(JsonNode node) {
		return node.properties().stream().map(Map.Entry::getKey).toList();
	}

	/** A stage without type arguments: any JSON value in, the same out. */
	@MosecStage(name = "anything")
	@SuppressWarnings("rawtypes")
	static class Anything implements Worker {

		@Override
		public Object forward(Object input) {
			return input;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ServingStages.Greet.class, ServingStages.Words.class, Anything.class })
	static class Application {

	}

}
