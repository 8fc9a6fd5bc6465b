package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests compare served vectors with: the model's own, computed in the test's JVM.
 */
final class Vectors {

	private Vectors() {
	}

	/**
	 * The texts' vectors from the fp32 model in this JVM, tokenised as the sample tokenises.
	 * @param texts the texts
	 * @return one vector per text
	 */
	static List<float[]> ofTheModel(List<String> texts) throws Exception {
		try (HuggingFaceTokenizer tokenizer = EmbeddingModel.tokenizer(EmbeddingModel.Variant.FP32);
				EmbeddingModel model = new EmbeddingModel(EmbeddingModel.Variant.FP32, 1)) {
			List<long[]> ids = new ArrayList<>();
			texts.forEach((text) -> ids.add(tokenizer.encode(text).getIds()));
			return model.embed(ids, 32);
		}
	}

	/**
	 * A vector as JSON holds it.
	 * @param embedding an array of numbers
	 * @return the floats
	 */
	static float[] of(JsonNode embedding) {
		float[] vector = new float[embedding.size()];
		for (int i = 0; i < vector.length; i++) {
			vector[i] = (float) embedding.get(i).asDouble();
		}
		return vector;
	}

	/**
	 * The cosine of two vectors of the same length.
	 * @param a one
	 * @param b the other
	 * @return their cosine
	 */
	static double cosine(float[] a, float[] b) {
		assertThat(a).hasSameSizeAs(b);
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			na += a[i] * a[i];
			nb += b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

}
