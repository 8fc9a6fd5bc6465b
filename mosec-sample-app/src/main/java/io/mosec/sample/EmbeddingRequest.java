package io.mosec.sample;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * An OpenAI embeddings request: {@code {"input": "text" | ["text", ...], "model": "..."}}.
 *
 * @param input one text, or a list of texts
 * @param model the model name (only {@value EmbeddingModel#NAME} is served)
 */
public record EmbeddingRequest(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> input,
		String model) {

}
