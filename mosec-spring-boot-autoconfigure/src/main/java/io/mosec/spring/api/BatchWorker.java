package io.mosec.spring.api;

import java.util.List;

/**
 * A stage that handles a dynamically formed batch of inputs at once.
 *
 * @param <I> the input type: a Jackson-(de)serialisable type, {@code String}, or {@code byte[]}
 * @param <O> the output type: a Jackson-(de)serialisable type, {@code String}, or {@code byte[]}
 */
public interface BatchWorker<I, O> {

	/**
	 * Handles a batch of at most the stage's max batch size.
	 * @param batch the decoded inputs, in arrival order, never empty
	 * @return one output per input, in the same order (any other size fails the batch with 500)
	 * @throws Exception any exception fails the whole batch: {@link ClientException} with 400,
	 * {@link ValidationException} with 422, anything else with 500
	 */
	List<O> forward(List<I> batch) throws Exception;

	/**
	 * Inputs run through {@link #forward} before the worker reports ready (warm-up).
	 * @return the warm-up inputs, empty for none
	 */
	default List<I> examples() {
		return List.of();
	}

}
