package io.mosec.sample;

import java.util.List;

/**
 * The tokens of a text, handed from the tokenise stage to the embed stage.
 *
 * @param tokens lower-case words
 */
public record Tokens(List<String> tokens) {

}
