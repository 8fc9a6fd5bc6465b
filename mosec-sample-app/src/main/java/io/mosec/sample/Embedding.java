package io.mosec.sample;

/**
 * What the service answers.
 *
 * @param tokens how many tokens the text had
 * @param vector the normalised vector
 */
public record Embedding(int tokens, float[] vector) {

}
