package io.mosec.sample;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;

/**
 * Preprocessing: one text at a time, in its own workers.
 */
@MosecStage(order = 1, num = 1)
public class Tokenize implements Worker<TextRequest, Tokens> {

	@Override
	public Tokens forward(TextRequest request) {
		if (request.text() == null || request.text().isBlank()) {
			throw new ValidationException("'text' must not be empty");
		}
		List<String> tokens = Arrays.stream(request.text().toLowerCase(Locale.ROOT).split("\\W+"))
			.filter((token) -> !token.isEmpty())
			.toList();
		return new Tokens(tokens);
	}

	@Override
	public List<TextRequest> examples() {
		return List.of(new TextRequest("warm up"));
	}

}
