package io.mosec.sample;

import java.util.List;

/**
 * The token ids of every input of one request, handed from tokenisation to inference.
 *
 * @param ids one array of token ids per input, special tokens included
 * @param shape how the client wants the vectors
 */
public record TokenizedRequest(List<long[]> ids, Shape shape) {

	/**
	 * Token ids, answered in OpenAI's floats.
	 * @param ids one array per input
	 */
	public TokenizedRequest(List<long[]> ids) {
		this(ids, Shape.FLOATS);
	}

	/** The response a client asked for. */
	public enum Shape {

		/** OpenAI's response, vectors as arrays of floats. */
		FLOATS,

		/** OpenAI's response, vectors in Base64 ({@code encoding_format: base64}). */
		BASE64,

		/** Hugging Face TEI's {@code /embed} response: an array of vectors. */
		TEI

	}

}
