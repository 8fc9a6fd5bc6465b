package io.mosec.sample;

/**
 * What a client sends: {@code {"text": "..."}}.
 *
 * @param text the text to embed
 */
public record TextRequest(String text) {

}
