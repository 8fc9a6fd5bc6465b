package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.ValidationException;

/**
 * Token arrays a client sends instead of texts: this model's WordPiece ids, checked against its
 * vocabulary and made into the sequences the model takes, as its tokenizer makes them.
 */
final class TokenArrays {

	private TokenArrays() {
	}

	/**
	 * The sequences to embed: each array with [CLS] before it and [SEP] after it unless it has
	 * them already, cut to {@link EmbeddingModel#MAX_TOKENS} (its [SEP] kept) if allowed.
	 * @param field the request's field, for messages
	 * @param arrays the client's arrays
	 * @param truncate whether an array too long is cut, or refused
	 * @return the sequences
	 * @throws ClientException for an empty array or an id outside the vocabulary (400)
	 * @throws ValidationException for an array too long that may not be cut (422)
	 */
	static List<long[]> checked(String field, List<long[]> arrays, boolean truncate) {
		List<long[]> sequences = new ArrayList<>(arrays.size());
		for (int i = 0; i < arrays.size(); i++) {
			long[] ids = arrays.get(i);
			String where = (arrays.size() == 1) ? "'" + field + "'" : "'" + field + "[" + i + "]'";
			if (ids.length == 0) {
				throw new ClientException(where + " is an empty token array");
			}
			for (int t = 0; t < ids.length; t++) {
				if (ids[t] < 0 || ids[t] >= EmbeddingModel.VOCABULARY) {
					throw new ClientException(where + " holds token id " + ids[t] + " at " + t + ", outside "
							+ EmbeddingModel.NAME + "'s vocabulary (0 to " + (EmbeddingModel.VOCABULARY - 1) + ")");
				}
			}
			int from = (ids[0] == EmbeddingModel.CLS) ? 1 : 0;
			int to = (ids.length > from && ids[ids.length - 1] == EmbeddingModel.SEP) ? ids.length - 1 : ids.length;
			int room = EmbeddingModel.MAX_TOKENS - 2;
			if (to - from > room && !truncate) {
				throw new ValidationException(where + " is longer than " + EmbeddingModel.MAX_TOKENS
						+ " tokens; set 'truncate' to true to embed its first " + EmbeddingModel.MAX_TOKENS);
			}
			int body = Math.min(to - from, room);
			long[] sequence = new long[body + 2];
			sequence[0] = EmbeddingModel.CLS;
			System.arraycopy(ids, from, sequence, 1, body);
			sequence[body + 1] = EmbeddingModel.SEP;
			sequences.add(sequence);
		}
		return sequences;
	}

}
