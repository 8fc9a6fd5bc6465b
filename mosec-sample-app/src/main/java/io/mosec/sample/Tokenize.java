package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.api.ClientException;
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
		if (request.model() != null && !EmbeddingModel.NAME.equals(request.model())) {
			throw new ValidationException("model '" + request.model() + "' is not served here; use '"
					+ EmbeddingModel.NAME + "'");
		}
		TokenizedRequest.Shape shape = shape(request);
		if (request.dimensions() != null && request.dimensions() != EmbeddingModel.DIMENSIONS) {
			throw new ClientException("'dimensions' is " + request.dimensions() + ", but " + EmbeddingModel.NAME
					+ " cannot shorten its vectors: it gives " + EmbeddingModel.DIMENSIONS + " dimensions; leave "
					+ "'dimensions' out");
		}
		String field = (shape == TokenizedRequest.Shape.TEI) ? "inputs" : "input";
		EmbeddingInput input = (shape == TokenizedRequest.Shape.TEI) ? request.inputs() : request.input();
		if (input == null || input.size() == 0) {
			throw new ValidationException("'" + field + "' must be a text or a non-empty list of texts or token arrays");
		}
		if (input.size() > this.maxInputs) {
			throw new ValidationException("'" + field + "' holds " + input.size() + " texts, more than the maximum of "
					+ this.maxInputs);
		}
		// OpenAI truncates silently; TEI only when asked to.
		boolean truncate = shape != TokenizedRequest.Shape.TEI || Boolean.TRUE.equals(request.truncate());
		List<long[]> ids = (input instanceof EmbeddingInput.Tokens tokens) ? TokenArrays.checked(field, tokens.ids(), truncate)
				: tokenize(field, ((EmbeddingInput.Texts) input).texts(), truncate);
		ids.forEach((sequence) -> this.tokens.record(sequence.length));
		return new TokenizedRequest(ids, shape);
	}

	private static TokenizedRequest.Shape shape(EmbeddingRequest request) {
		if (request.inputs() != null) {
			if (request.input() != null) {
				throw new ValidationException("the request has both 'input' (OpenAI's) and 'inputs' (TEI's); send one");
			}
			if (Boolean.FALSE.equals(request.normalize())) {
				throw new ValidationException("'normalize' is false, but this service answers L2-normalised vectors only");
			}
			return TokenizedRequest.Shape.TEI;
		}
		String format = request.encodingFormat();
		if (format == null || "float".equals(format)) {
			return TokenizedRequest.Shape.FLOATS;
		}
		if ("base64".equals(format)) {
			return TokenizedRequest.Shape.BASE64;
		}
		throw new ClientException("'encoding_format' is '" + format + "'; use 'float' or 'base64'");
	}

	private List<long[]> tokenize(String field, List<String> input, boolean truncate) {
		for (int i = 0; i < input.size(); i++) {
			if (input.get(i) == null || input.get(i).isEmpty()) {
				throw new ValidationException("'" + field + "[" + i + "]' is empty");
			}
		}
		Encoding[] encodings = this.tokenizer.batchEncode(input);
		List<long[]> ids = new ArrayList<>(encodings.length);
		for (int i = 0; i < encodings.length; i++) {
			if (!truncate && encodings[i].exceedMaxLength()) {
				throw new ValidationException("'" + field + "[" + i + "]' is longer than " + EmbeddingModel.MAX_TOKENS
						+ " tokens; set 'truncate' to true to embed its first " + EmbeddingModel.MAX_TOKENS);
			}
			ids.add(encodings[i].getIds());
		}
		return ids;
	}

	@Override
	public List<EmbeddingRequest> examples() {
		return List.of(new EmbeddingRequest(List.of("Warm up the tokenizer."), null));
	}

}
