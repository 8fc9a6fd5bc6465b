package io.mosec.spring.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.stage.StageDefinition;

import org.springframework.http.MediaType;

/**
 * Chooses the format of a request body from its {@code Content-Type}, and of the response from
 * {@code Accept}.
 */
final class ContentNegotiation {

	private static final MediaType X_MSGPACK = MediaType.parseMediaType("application/x-msgpack");

	private ContentNegotiation() {
	}

	/**
	 * The format of the request body.
	 * @param contentType the content type, {@code null} if absent (taken as JSON)
	 * @param rawInput whether the ingress stage takes raw bytes (any content type)
	 * @return the format, or {@code null} for an unsupported content type (415)
	 */
	static PayloadFormat requestFormat(MediaType contentType, boolean rawInput) {
		if (contentType == null) {
			return PayloadFormat.JSON;
		}
		if (isMsgpack(contentType)) {
			return PayloadFormat.MSGPACK;
		}
		if (rawInput || MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				&& !contentType.isWildcardType() && !contentType.isWildcardSubtype()) {
			return PayloadFormat.JSON;
		}
		return null;
	}

	/**
	 * The format of the response: the first of JSON or msgpack that {@code Accept} names (by
	 * quality), else the request's own format.
	 * @param accept the accepted types
	 * @param requestFormat the request's format
	 * @return the format
	 */
	static PayloadFormat responseFormat(List<MediaType> accept, PayloadFormat requestFormat) {
		if (accept.isEmpty()) {
			return requestFormat;
		}
		List<MediaType> sorted = new ArrayList<>(accept);
		// Stable: types of equal quality keep the client's order.
		sorted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType type : sorted) {
			if (type.isWildcardType() || type.isWildcardSubtype() && "application".equals(type.getType())) {
				return requestFormat;
			}
			if (isMsgpack(type)) {
				return PayloadFormat.MSGPACK;
			}
			if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
				return PayloadFormat.JSON;
			}
		}
		return requestFormat;
	}

	private static boolean isMsgpack(MediaType type) {
		return PayloadFormat.MSGPACK.mediaType().equalsTypeAndSubtype(type) || X_MSGPACK.equalsTypeAndSubtype(type);
	}

	/**
	 * The content type of a 200 answer: a Python egress stage's own ({@code resp_mime_type}),
	 * {@code application/octet-stream} for raw bytes, else the negotiated format's.
	 * @param egress the route's last stage
	 * @param format the negotiated response format
	 * @return the content type
	 */
	static MediaType responseType(StageDefinition egress, PayloadFormat format) {
		if (egress.python() != null && egress.python().mediaType() != null) {
			return MediaType.parseMediaType(egress.python().mediaType());
		}
		return egress.rawOutput() ? MediaType.APPLICATION_OCTET_STREAM : format.mediaType();
	}

}
