package io.mosec.sample;

import java.util.List;

/**
 * The token ids of every text of one request, handed from tokenisation to inference.
 *
 * @param ids one array of token ids per input text, special tokens included
 */
public record TokenizedRequest(List<long[]> ids) {

}
