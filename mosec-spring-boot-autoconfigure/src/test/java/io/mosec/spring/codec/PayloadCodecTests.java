package io.mosec.spring.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Payload decoding and encoding, JSON and msgpack alike.
 */
class PayloadCodecTests {

	record Point(int x, List<String> tags) {

	}

	private final PayloadCodec codec = new PayloadCodec();

	@Test
	void decodesTheSameRecordFromJsonAndMsgpack() {
		Point point = new Point(3, List.of("a", "b"));
		for (PayloadFormat format : PayloadFormat.values()) {
			byte[] bytes = this.codec.encode(point, format);
			assertThat(this.codec.decode(bytes, format, Point.class)).isEqualTo(point);
		}
	}

	@Test
	void decodesGenericTypes() {
		byte[] json = "[{\"x\":1,\"tags\":[]}]".getBytes(StandardCharsets.UTF_8);
		Object decoded = this.codec.decode(json, PayloadFormat.JSON, new TypeReference<List<Point>>() {
		}.getType());
		assertThat(decoded).isEqualTo(List.of(new Point(1, List.of())));
	}

	@Test
	void passesRawBytesThroughUntouched() {
		byte[] raw = { 0, (byte) 0xff, 42 };
		assertThat(this.codec.decode(raw, PayloadFormat.JSON, byte[].class)).isSameAs(raw);
		assertThat(this.codec.encode(raw, PayloadFormat.MSGPACK)).isSameAs(raw);
	}

	@Test
	void ignoresFieldsItDoesNotKnow() {
		byte[] json = "{\"x\":1,\"tags\":[],\"extra\":true}".getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(json, PayloadFormat.JSON, Point.class)).isEqualTo(new Point(1, List.of()));
	}

	@Test
	void describesAWrongFieldByItsPathWithoutPackageNames() {
		byte[] json = "{\"x\":\"not a number\"}".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(PayloadDecodingException.class)
			.isThrownBy(() -> this.codec.decode(json, PayloadFormat.JSON, Point.class))
			.withMessageContaining("(at $.x)")
			.withMessageNotContaining("io.mosec")
			.withMessageNotContaining("not a number\"}");
	}

	@Test
	void rejectsANullPayload() {
		assertThatExceptionOfType(PayloadDecodingException.class)
			.isThrownBy(() -> this.codec.decode("null".getBytes(StandardCharsets.UTF_8), PayloadFormat.JSON, Map.class))
			.withMessage("the payload is null");
	}

	@Test
	void rejectsMalformedMsgpack() {
		byte[] truncated = { (byte) 0x82, (byte) 0xa1 };
		assertThatExceptionOfType(PayloadDecodingException.class)
			.isThrownBy(() -> this.codec.decode(truncated, PayloadFormat.MSGPACK, Map.class));
	}

	@Test
	void refusesDeeplyNestedJsonAndMsgpackWithoutOverflowingTheStack() {
		int depth = 100_000;
		byte[] json = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
		byte[] msgpack = new byte[depth + 1];
		java.util.Arrays.fill(msgpack, (byte) 0x91); // an array of one element, nested
		msgpack[depth] = (byte) 0x90; // the innermost array is empty
		for (Object type : List.of(Object.class, new TypeReference<List<Object>>() {
		}.getType())) {
			assertThatExceptionOfType(PayloadDecodingException.class)
				.isThrownBy(() -> this.codec.decode(json, PayloadFormat.JSON, (java.lang.reflect.Type) type))
				.withMessageContaining("nesting depth");
			assertThatExceptionOfType(PayloadDecodingException.class)
				.isThrownBy(() -> this.codec.decode(msgpack, PayloadFormat.MSGPACK, (java.lang.reflect.Type) type))
				.withMessageContaining("nesting depth");
		}
	}

	@Test
	void refusesNumbersWithMoreDigitsThanAnyInputNeeds() {
		byte[] huge = ("{\"x\": 1" + "0".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(PayloadDecodingException.class)
			.isThrownBy(() -> this.codec.decode(huge, PayloadFormat.JSON, Object.class))
			.withMessageContaining("Number value length");
	}

	@Test
	void neverLetsAPayloadChooseTheClassItBecomes() {
		byte[] typedArray = "[\"java.lang.ProcessBuilder\", {\"command\": [\"id\"]}]".getBytes(StandardCharsets.UTF_8);
		byte[] typedObject = "{\"@class\": \"java.io.File\", \"path\": \"/etc/passwd\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(typedArray, PayloadFormat.JSON, Object.class))
			.isEqualTo(List.of("java.lang.ProcessBuilder", Map.of("command", List.of("id"))));
		assertThat(this.codec.decode(typedObject, PayloadFormat.JSON, Object.class))
			.isEqualTo(Map.of("@class", "java.io.File", "path", "/etc/passwd"));
		record Holder(Object value) {
		}
		byte[] nested = "{\"value\": [\"java.io.File\", \"/etc/passwd\"]}".getBytes(StandardCharsets.UTF_8);
		assertThat(((Holder) this.codec.decode(nested, PayloadFormat.JSON, Holder.class)).value())
			.isEqualTo(List.of("java.io.File", "/etc/passwd"));
	}

}
