package io.mosec.sample;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An embeddings request: OpenAI's {@code {"input": ..., "model": "...", "encoding_format":
 * "float" | "base64", "dimensions": n, "user": "..."}}, or Hugging Face TEI's {@code {"inputs":
 * ..., "normalize": true, "truncate": true}}, told apart by {@code input} or {@code inputs}.
 *
 * @param input OpenAI's texts or token arrays
 * @param model the model name (only {@value EmbeddingModel#NAME} is served)
 * @param encodingFormat {@code float} (the default) or {@code base64}
 * @param dimensions the vector length asked for; this model's vectors cannot be shortened
 * @param user the end user, for the caller's own records: accepted and ignored
 * @param inputs TEI's texts or token arrays
 * @param normalize TEI: whether vectors are L2-normalised (they always are here; {@code false} is refused)
 * @param truncate TEI: whether a text longer than the model's maximum is cut (else refused)
 */
public record EmbeddingRequest(EmbeddingInput input, String model,
		@JsonProperty("encoding_format") String encodingFormat, Integer dimensions, String user, EmbeddingInput inputs,
		Boolean normalize, Boolean truncate) {

	/**
	 * A request for texts, in floats.
	 * @param texts the texts
	 * @param model the model name, or {@code null}
	 */
	public EmbeddingRequest(List<String> texts, String model) {
		this(new EmbeddingInput.Texts(texts), model, null, null, null, null, null, null);
	}

}
