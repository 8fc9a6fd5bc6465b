package io.mosec.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * An OpenAI embeddings response; for a TEI request ({@code /embed}) written as TEI answers, an
 * array of the vectors alone.
 *
 * @param object always {@code list}
 * @param data one embedding per input, in input order
 * @param model the model name
 * @param usage tokens counted
 * @param tei whether to write TEI's array instead
 */
@JsonSerialize(using = EmbeddingResponse.Writer.class)
public record EmbeddingResponse(String object, List<Data> data, String model, Usage usage, @JsonIgnore boolean tei) {

	static EmbeddingResponse of(List<float[]> vectors, int tokens, TokenizedRequest.Shape shape) {
		List<Data> data = new ArrayList<>(vectors.size());
		for (int i = 0; i < vectors.size(); i++) {
			data.add(new Data("embedding", i,
					(shape == TokenizedRequest.Shape.BASE64) ? base64(vectors.get(i)) : vectors.get(i)));
		}
		return new EmbeddingResponse("list", data, EmbeddingModel.NAME, new Usage(tokens, tokens),
				shape == TokenizedRequest.Shape.TEI);
	}

	/**
	 * Writes the OpenAI fields, or TEI's array. A serializer because one stage answers both
	 * routes with one type (so both share its batches), and the OpenAPI document shows the
	 * OpenAI schema of the record.
	 */
	static final class Writer extends StdSerializer<EmbeddingResponse> {

		private static final long serialVersionUID = 1L;

		Writer() {
			super(EmbeddingResponse.class);
		}

		@Override
		public void serialize(EmbeddingResponse response, JsonGenerator json, SerializerProvider provider)
				throws IOException {
			if (response.tei()) {
				provider.defaultSerializeValue(response.data().stream().map(Data::embedding).toList(), json);
			}
			else {
				provider.defaultSerializeValue(new OpenAi(response.object(), response.data(), response.model(),
						response.usage()), json);
			}
		}

	}

	/** The OpenAI fields as they are written. */
	record OpenAi(String object, List<Data> data, String model, Usage usage) {
	}

	/** OpenAI's {@code base64}: the vector's float32 values, little-endian, in standard Base64. */
	static String base64(float[] vector) {
		ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(vector);
		return Base64.getEncoder().encodeToString(bytes.array());
	}

	/**
	 * One embedding.
	 *
	 * @param object always {@code embedding}
	 * @param index the input's position
	 * @param embedding the L2-normalised vector of {@value EmbeddingModel#DIMENSIONS} floats, or
	 * with {@code encoding_format: base64} a string: their float32 bytes, little-endian, in Base64
	 */
	public record Data(String object, int index, Object embedding) {

	}

	/**
	 * Tokens counted, special tokens included.
	 *
	 * @param promptTokens tokens of the inputs
	 * @param totalTokens the same: embeddings generate nothing
	 */
	public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {

	}

}
