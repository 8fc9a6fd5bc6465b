package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

/**
 * Checks a request and tokenises its texts (truncated at 256 tokens), in its own worker process.
 */
@MosecStage(order = 1)
public class Tokenize implements Worker<EmbeddingRequest, TokenizedRequest> {

	private final HuggingFaceTokenizer tokenizer;

	private final int maxInputs;

	public Tokenize(EmbeddingProperties properties) {
		this.tokenizer = EmbeddingModel.tokenizer(properties.getVariant());
		this.maxInputs = properties.getMaxInputs();
	}

	@Override
	public TokenizedRequest forward(EmbeddingRequest request) {
		List<String> input = request.input();
		if (request.model() != null && !EmbeddingModel.NAME.equals(request.model())) {
			throw new ValidationException("model '" + request.model() + "' is not served here; use '"
					+ EmbeddingModel.NAME + "'");
		}
		if (input == null || input.isEmpty()) {
			throw new ValidationException("'input' must be a text or a non-empty list of texts");
		}
		if (input.size() > this.maxInputs) {
			throw new ValidationException("'input' holds " + input.size() + " texts, more than the maximum of "
					+ this.maxInputs);
		}
		for (int i = 0; i < input.size(); i++) {
			if (input.get(i) == null || input.get(i).isEmpty()) {
				throw new ValidationException("'input[" + i + "]' is empty");
			}
		}
		Encoding[] encodings = this.tokenizer.batchEncode(input);
		List<long[]> ids = new ArrayList<>(encodings.length);
		for (Encoding encoding : encodings) {
			ids.add(encoding.getIds());
		}
		return new TokenizedRequest(ids);
	}

	@Override
	public List<EmbeddingRequest> examples() {
		return List.of(new EmbeddingRequest(List.of("Warm up the tokenizer."), null));
	}

}
