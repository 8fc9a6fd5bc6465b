package io.mosec.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * What to embed, in any of the shapes the OpenAI contract allows: a text, a list of texts, one
 * array of token ids, or a list of them. Token ids are read as token ids, never as texts.
 */
@JsonDeserialize(using = EmbeddingInput.Reader.class)
public sealed interface EmbeddingInput {

	/** How many inputs: texts or token arrays. */
	int size();

	/**
	 * Texts, tokenised by the server.
	 *
	 * @param texts the texts
	 */
	record Texts(List<String> texts) implements EmbeddingInput {

		@Override
		public int size() {
			return this.texts.size();
		}

	}

	/**
	 * Arrays of this model's token ids (its WordPiece vocabulary), tokenised by the client.
	 *
	 * @param ids one array per input
	 */
	record Tokens(List<long[]> ids) implements EmbeddingInput {

		@Override
		public int size() {
			return this.ids.size();
		}

	}

	/**
	 * Tells the four shapes apart by their JSON (or msgpack) type; anything else is the client's
	 * error, reported at {@code $.input} (400). Jackson's own binding cannot choose between a list
	 * of texts and a list of numbers for one field.
	 */
	final class Reader extends StdDeserializer<EmbeddingInput> {

		private static final long serialVersionUID = 1L;

		Reader() {
			super(EmbeddingInput.class);
		}

		@Override
		public EmbeddingInput deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			JsonNode node = parser.readValueAsTree();
			if (node.isTextual()) {
				return new Texts(List.of(node.asText()));
			}
			if (!node.isArray()) {
				return fail(context);
			}
			if (node.isEmpty() || node.get(0).isTextual() || node.get(0).isNull()) {
				List<String> texts = new ArrayList<>();
				for (JsonNode text : node) {
					if (!text.isTextual()) {
						return fail(context);
					}
					texts.add(text.asText());
				}
				return new Texts(texts);
			}
			if (node.get(0).isIntegralNumber()) {
				return new Tokens(List.of(ids(node, context)));
			}
			List<long[]> arrays = new ArrayList<>();
			for (JsonNode array : node) {
				if (!array.isArray()) {
					return fail(context);
				}
				arrays.add(ids(array, context));
			}
			return new Tokens(arrays);
		}

		private static long[] ids(JsonNode array, DeserializationContext context) throws IOException {
			long[] ids = new long[array.size()];
			for (int i = 0; i < ids.length; i++) {
				if (!array.get(i).isIntegralNumber() || !array.get(i).canConvertToLong()) {
					fail(context);
				}
				ids[i] = array.get(i).asLong();
			}
			return ids;
		}

		private static EmbeddingInput fail(DeserializationContext context) throws IOException {
			return context.reportInputMismatch(EmbeddingInput.class,
					"'input' must be a text, a list of texts, an array of token ids or a list of such arrays");
		}

	}

}
