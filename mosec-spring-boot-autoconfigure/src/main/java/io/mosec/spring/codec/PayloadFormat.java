package io.mosec.spring.codec;

import org.springframework.http.MediaType;

/**
 * The formats a payload travels in.
 */
public enum PayloadFormat {

	/** JSON ({@code application/json}), the default for requests and responses. */
	JSON(MediaType.APPLICATION_JSON),

	/** MessagePack ({@code application/msgpack}); also the format between stages. */
	MSGPACK(MediaType.parseMediaType("application/msgpack"));

	private final MediaType mediaType;

	PayloadFormat(MediaType mediaType) {
		this.mediaType = mediaType;
	}

	/**
	 * The media type of this format.
	 * @return the media type
	 */
	public MediaType mediaType() {
		return this.mediaType;
	}

}
