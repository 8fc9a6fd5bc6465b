package io.mosec.spring.codec;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * Decodes and encodes stage payloads: JSON or msgpack through one Jackson 2 family, so both
 * formats map the same types the same way, and {@code byte[]} as raw bytes without a codec.
 * <p>
 * Jackson 2 rather than Boot's Jackson 3 because msgpack-jackson exists only for Jackson 2.
 * No default typing is enabled: a payload can never choose the class it becomes.
 */
public final class PayloadCodec {

	private static final Pattern PACKAGE_PREFIX = Pattern.compile("\\b(?:[a-z_$][a-z0-9_$]*\\.)+(?=[A-Z])");

	private final ObjectMapper json;

	private final ObjectMapper msgpack;

	private final int maxNestingDepth;

	public PayloadCodec() {
		this.json = configure(JsonMapper.builder().build());
		this.msgpack = configure(new MessagePackMapper());
		this.maxNestingDepth = this.json.getFactory().streamReadConstraints().getMaxNestingDepth();
	}

	private static ObjectMapper configure(ObjectMapper mapper) {
		// Clients add fields over time (as OpenAI clients do); unknown ones are ignored, as Boot does.
		mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
		// Error messages go to clients: never echo the source document into them.
		mapper.configure(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature(), false);
		// Embeddings are arrays of floats: the JDK's float-to-text was the top Java frame of a
		// JFR profile of the sample's inference worker.
		mapper.configure(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature(), true);
		mapper.configure(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature(), true);
		return mapper;
	}

	/**
	 * Decodes a payload.
	 * @param bytes the payload
	 * @param format its format
	 * @param type the target type; {@code byte[]} takes the bytes as they are
	 * @return the value, never {@code null}
	 * @throws PayloadDecodingException with a client-safe message if the bytes do not decode
	 */
	public Object decode(byte[] bytes, PayloadFormat format, Type type) {
		if (type == byte[].class) {
			return bytes;
		}
		try {
			if (format == PayloadFormat.MSGPACK) {
				checkMsgpackNesting(bytes);
			}
			ObjectMapper mapper = mapper(format);
			JavaType javaType = mapper.getTypeFactory().constructType(type);
			Object value = mapper.readValue(bytes, javaType);
			if (value == null) {
				throw new PayloadDecodingException("the payload is null");
			}
			return value;
		}
		catch (IOException ex) {
			throw new PayloadDecodingException(describe(ex), ex);
		}
		catch (MessagePackException ex) {
			// msgpack's own reader signals truncated or malformed input with unchecked exceptions.
			throw new PayloadDecodingException((ex instanceof MessageInsufficientBufferException)
					? "malformed msgpack: the payload ends in the middle of a value" : "malformed msgpack", ex);
		}
		catch (RuntimeException ex) {
			if (format != PayloadFormat.MSGPACK) {
				throw ex;
			}
			// msgpack-jackson's parser also fails on some malformed input with a bare NullPointerException
			// (found by IngressDecodingFuzzTests): still the payload's fault, not the server's.
			throw new PayloadDecodingException("malformed msgpack", ex);
		}
	}

	/**
	 * Refuses msgpack nested deeper than JSON may be. Jackson's JSON parser enforces
	 * {@link StreamReadConstraints#getMaxNestingDepth()}, msgpack-jackson's does not, and a value
	 * nested 100,000 deep decodes into a structure no serializer can walk back without
	 * overflowing its stack. One pass over the headers with msgpack's own unpacker, no values
	 * read; what it cannot parse is left to the decoder to report.
	 */
	private void checkMsgpackNesting(byte[] bytes) throws StreamConstraintsException {
		int depth = deepestMsgpackNesting(bytes, this.maxNestingDepth + 1);
		if (depth > this.maxNestingDepth) {
			throw new StreamConstraintsException("Document nesting depth (" + depth + ") exceeds the maximum allowed ("
					+ this.maxNestingDepth + ")");
		}
	}

	private static int deepestMsgpackNesting(byte[] bytes, int stopAt) {
		long[] remaining = new long[stopAt + 1];
		int depth = 0;
		int deepest = 0;
		remaining[0] = 1;
		try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
			while (depth >= 0 && deepest < stopAt && unpacker.hasNext()) {
				if (remaining[depth] == 0) {
					depth--;
					continue;
				}
				remaining[depth]--;
				ValueType type = unpacker.getNextFormat().getValueType();
				if (type == ValueType.ARRAY || type == ValueType.MAP) {
					long size = (type == ValueType.ARRAY) ? unpacker.unpackArrayHeader() : 2L * unpacker.unpackMapHeader();
					remaining[++depth] = size;
					deepest = Math.max(deepest, depth);
				}
				else {
					unpacker.skipValue();
				}
			}
		}
		catch (IOException | MessagePackException ex) {
			// Malformed: the decoder says how.
		}
		return deepest;
	}

	/**
	 * Encodes a value.
	 * @param value the value; a {@code byte[]} is returned as it is
	 * @param format the format to encode to
	 * @return the payload
	 * @throws PayloadEncodingException if the value cannot be encoded
	 */
	public byte[] encode(Object value, PayloadFormat format) {
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		try {
			return mapper(format).writeValueAsBytes(value);
		}
		catch (JsonProcessingException ex) {
			throw new PayloadEncodingException(describe(ex), ex);
		}
	}

	private ObjectMapper mapper(PayloadFormat format) {
		return (format == PayloadFormat.MSGPACK) ? this.msgpack : this.json;
	}

	/**
	 * A message fit for a client: Jackson's own words without source excerpts, with class names
	 * shortened (no package names), and the JSON path of the offending field where there is one.
	 */
	static String describe(IOException ex) {
		String message = (ex instanceof JsonProcessingException jpe) ? jpe.getOriginalMessage() : ex.getMessage();
		message = (message != null) ? PACKAGE_PREFIX.matcher(message).replaceAll("") : ex.getClass().getSimpleName();
		message = message.replace('\n', ' ');
		if (ex instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
			message = message + " (at " + path(jme) + ")";
		}
		return message;
	}

	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder("$");
		for (JsonMappingException.Reference reference : ex.getPath()) {
			if (reference.getFieldName() != null) {
				path.append('.').append(reference.getFieldName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
