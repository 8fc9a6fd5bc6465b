package io.mosec.sample;

import java.util.List;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import org.junit.jupiter.api.Test;

import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The clients people already have, pointed at the running sample (process mode): Spring AI's
 * OpenAI embedding model, configured as an application would configure it, and langchain4j's.
 * Each gets the vectors the model computes in process, and a clear error for a wrong model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class OpenAiClientsTests {

	static final List<String> TEXTS = List.of("The cat sits on the mat.", "Hello World",
			"Dynamic batching groups requests that arrive close together.");

	@LocalServerPort
	int port;

	@Test
	void springAisOpenAiEmbeddingModelGetsTheModelsVectors() throws Exception {
		try (ConfigurableApplicationContext client = springAi(EmbeddingModel.NAME)) {
			List<float[]> vectors = client.getBean(org.springframework.ai.embedding.EmbeddingModel.class).embed(TEXTS);
			assertSameVectors(vectors);
		}
	}

	@Test
	void springAisOpenAiEmbeddingModelShowsWhyAnotherModelIsRefused() {
		try (ConfigurableApplicationContext client = springAi("text-embedding-3-small")) {
			var model = client.getBean(org.springframework.ai.embedding.EmbeddingModel.class);
			assertThatException().isThrownBy(() -> model.embed("x"))
				.withStackTraceContaining("model 'text-embedding-3-small' is not served here; use 'all-minilm-l6-v2'");
		}
	}

	@Test
	void langchain4jsOpenAiEmbeddingModelGetsTheModelsVectors() throws Exception {
		List<Embedding> embeddings = langchain4j(EmbeddingModel.NAME)
			.embedAll(TEXTS.stream().map(TextSegment::from).toList())
			.content();
		assertSameVectors(embeddings.stream().map(Embedding::vector).toList());
	}

	@Test
	void langchain4jsOpenAiEmbeddingModelShowsWhyAnotherModelIsRefused() {
		OpenAiEmbeddingModel model = langchain4j("text-embedding-3-small");
		assertThatException().isThrownBy(() -> model.embed("x"))
			.withStackTraceContaining("model 'text-embedding-3-small' is not served here; use 'all-minilm-l6-v2'");
	}

	/** A Spring AI application of its own, set up with the three properties the README shows. */
	private ConfigurableApplicationContext springAi(String model) {
		return new SpringApplicationBuilder(SpringAiClient.class).web(WebApplicationType.NONE)
			.run("--spring.config.name=spring-ai-client", "--spring.ai.model.embedding=openai",
					"--spring.ai.openai.base-url=http://127.0.0.1:" + this.port + "/v1",
					"--spring.ai.openai.api-key=unused", "--spring.ai.openai.embedding.options.model=" + model,
					"--spring.ai.openai.max-retries=0");
	}

	private OpenAiEmbeddingModel langchain4j(String model) {
		return OpenAiEmbeddingModel.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.apiKey("unused")
			.modelName(model)
			.maxRetries(0)
			.build();
	}

	private static void assertSameVectors(List<float[]> vectors) throws Exception {
		assertThat(vectors).hasSize(TEXTS.size());
		List<float[]> expected = Vectors.ofTheModel(TEXTS);
		for (int i = 0; i < TEXTS.size(); i++) {
			assertThat(Vectors.cosine(vectors.get(i), expected.get(i))).as(TEXTS.get(i)).isGreaterThan(0.999);
		}
	}

	/**
	 * The client application: Spring AI's OpenAI embedding auto-configuration and nothing else (no
	 * {@code @SpringBootConfiguration}, which this test would take for its own).
	 */
	@ImportAutoConfiguration(OpenAiEmbeddingAutoConfiguration.class)
	static class SpringAiClient {

	}

}
