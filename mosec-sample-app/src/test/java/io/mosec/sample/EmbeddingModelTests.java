package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model run directly on ONNX Runtime gives the vectors of langchain4j's own all-MiniLM-L6-v2.
 */
class EmbeddingModelTests {

	private static final List<String> SENTENCES = List.of("The cat sits on the mat.",
			"Dynamic batching groups requests that arrive close together.",
			"Spring Boot makes it easy to create stand-alone, production-grade applications.");

	@Test
	void matchesLangchain4jsFp32Model() throws Exception {
		assertMatches(io.mosec.sample.EmbeddingModel.Variant.FP32, new AllMiniLmL6V2EmbeddingModel());
	}

	@Test
	void matchesLangchain4jsQuantizedModelForOneSentenceAtATime() throws Exception {
		assertMatches(io.mosec.sample.EmbeddingModel.Variant.QUANTIZED, new AllMiniLmL6V2QuantizedEmbeddingModel());
	}

	@Test
	void givesAFp32SentenceTheSameVectorWhateverItsBatchMates() throws Exception {
		try (HuggingFaceTokenizer tokenizer = io.mosec.sample.EmbeddingModel
			.tokenizer(io.mosec.sample.EmbeddingModel.Variant.FP32);
				io.mosec.sample.EmbeddingModel model = new io.mosec.sample.EmbeddingModel(
						io.mosec.sample.EmbeddingModel.Variant.FP32, 1)) {
			List<long[]> ids = new ArrayList<>();
			SENTENCES.forEach((sentence) -> ids.add(tokenizer.encode(sentence).getIds()));
			float[] alone = model.embed(List.of(ids.get(0)), 32).get(0);
			float[] inBatch = model.embed(ids, 32).get(0);
			assertThat(Vectors.cosine(alone, inBatch)).isGreaterThan(0.99999);
		}
	}

	@Test
	void truncatesLongTextsToTheModelsMaximum() {
		try (HuggingFaceTokenizer tokenizer = io.mosec.sample.EmbeddingModel
			.tokenizer(io.mosec.sample.EmbeddingModel.Variant.FP32)) {
			assertThat(tokenizer.encode("word ".repeat(1000)).getIds()).hasSize(io.mosec.sample.EmbeddingModel.MAX_TOKENS);
		}
	}

	private static void assertMatches(io.mosec.sample.EmbeddingModel.Variant variant, EmbeddingModel reference)
			throws Exception {
		try (HuggingFaceTokenizer tokenizer = io.mosec.sample.EmbeddingModel.tokenizer(variant);
				io.mosec.sample.EmbeddingModel model = new io.mosec.sample.EmbeddingModel(variant, 1)) {
			for (String sentence : SENTENCES) {
				float[] ours = model.embed(List.of(tokenizer.encode(sentence).getIds()), 32).get(0);
				float[] theirs = reference.embed(sentence).content().vector();
				assertThat(ours).hasSize(io.mosec.sample.EmbeddingModel.DIMENSIONS);
				assertThat(Vectors.cosine(ours, theirs)).as(sentence).isGreaterThan(0.999);
				assertThat(Vectors.cosine(ours, ours)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
			}
		}
	}

}
