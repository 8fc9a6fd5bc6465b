package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

/**
 * Checks a request and tokenises its texts (truncated at 256 tokens), in its own worker process.
 * It records how many tokens each text has: a meter of its own, which the server publishes on
 * {@code /actuator/prometheus} as {@code embedding_input_tokens} with the stage and worker.
 */
@MosecStage(order = 1)
public class Tokenize implements Worker<EmbeddingRequest, TokenizedRequest> {

	private final HuggingFaceTokenizer tokenizer;

	private final int maxInputs;

	private final DistributionSummary tokens;

	public Tokenize(EmbeddingProperties properties, MeterRegistry registry) {
		this.tokenizer = EmbeddingModel.tokenizer(properties.getVariant());
		this.maxInputs = properties.getMaxInputs();
		this.tokens = DistributionSummary.builder("embedding.input.tokens")
			.baseUnit("tokens")
			.description("Tokens of each text embedded, after truncation")
			.register(registry);
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
			this.tokens.record(encoding.getIds().length);
		}
		return new TokenizedRequest(ids);
	}

	@Override
	public List<EmbeddingRequest> examples() {
		return List.of(new EmbeddingRequest(List.of("Warm up the tokenizer."), null));
	}

}
