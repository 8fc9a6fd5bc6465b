package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenAI embeddings response.
 *
 * @param object always {@code list}
 * @param data one embedding per input, in input order
 * @param model the model name
 * @param usage tokens counted
 */
public record EmbeddingResponse(String object, List<Data> data, String model, Usage usage) {

	static EmbeddingResponse of(List<float[]> vectors, int tokens) {
		List<Data> data = new ArrayList<>(vectors.size());
		for (int i = 0; i < vectors.size(); i++) {
			data.add(new Data("embedding", i, vectors.get(i)));
		}
		return new EmbeddingResponse("list", data, EmbeddingModel.NAME, new Usage(tokens, tokens));
	}

	/**
	 * One embedding.
	 *
	 * @param object always {@code embedding}
	 * @param index the input's position
	 * @param embedding the L2-normalised vector of {@value EmbeddingModel#DIMENSIONS} floats
	 */
	public record Data(String object, int index, float[] embedding) {

	}

	/**
	 * Tokens counted, special tokens included.
	 *
	 * @param promptTokens tokens of the inputs
	 * @param totalTokens the same: embeddings generate nothing
	 */
	public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {

	}

}
