package io.mosec.spring.api;

import java.util.List;

/**
 * A stage that handles one input at a time.
 *
 * @param <I> the input type: a Jackson-(de)serialisable type, {@code String}, or {@code byte[]}
 * for the raw request body
 * @param <O> the output type: a Jackson-(de)serialisable type, {@code String}, or {@code byte[]}
 * for a raw response body
 */
public interface Worker<I, O> {

	/**
	 * Handles one input.
	 * @param input the decoded input, never {@code null}
	 * @return the output, handed to the next stage or encoded as the response
	 * @throws Exception any exception fails the request: {@link ClientException} with 400,
	 * {@link ValidationException} with 422, anything else with 500
	 */
	O forward(I input) throws Exception;

	/**
	 * Inputs run through {@link #forward} before the worker reports ready (warm-up).
	 * @return the warm-up inputs, empty for none
	 */
	default List<I> examples() {
		return List.of();
	}

}
