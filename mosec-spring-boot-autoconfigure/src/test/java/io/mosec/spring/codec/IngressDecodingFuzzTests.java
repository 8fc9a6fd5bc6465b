package io.mosec.spring.codec;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoding of a request body, JSON or msgpack, into the input types stages declare: a
 * value, or a typed {@link PayloadDecodingException} with a client-safe message; never another
 * exception, a stack overflow or a hang.
 * <p>
 * In a normal test run this replays the inputs under {@code IngressDecodingFuzzTestsInputs};
 * {@code JAZZER_FUZZ=1} fuzzes with coverage guidance (see RELIABILITY.md).
 */
class IngressDecodingFuzzTests {

	record Nested(String name, int count, double score, List<Float> vector, Map<String, Object> extra,
			Nested child) {

	}

	static final Type[] TYPES = { Object.class, Nested.class, String.class, Integer.class,
			new TypeReference<List<Float>>() {
			}.getType(), new TypeReference<Map<String, List<Nested>>>() {
			}.getType() };

	private final PayloadCodec codec = new PayloadCodec();

	@FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
	void decodesAnyBodyIntoTheInputTypeOrATypedError(FuzzedDataProvider data) {
		PayloadFormat format = data.pickValue(PayloadFormat.values());
		Type type = data.pickValue(TYPES);
		byte[] body = data.consumeRemainingAsBytes();
		try {
			assertThat(this.codec.decode(body, format, type)).isNotNull();
		}
		catch (PayloadDecodingException expected) {
			assertThat(expected.getMessage()).doesNotContain("io.mosec").doesNotContain("\n\tat ");
		}
	}

}
