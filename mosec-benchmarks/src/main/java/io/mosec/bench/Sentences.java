package io.mosec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A fixed corpus of English-like texts of varied length, the same in every run, so that every
 * server and the offline limit embed the same texts in the same order. Lengths are log-normal
 * (median about 22 words, 4 to 160), like the sentences and short passages of a retrieval
 * workload, so that padding matters as it does in production.
 */
public final class Sentences {

	private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his "
			+ "from at which but have an they you were her she there been one all we their has would when if so no "
			+ "model server batch worker request latency throughput memory process stage queue vector token spring "
			+ "java service cluster network storage engine query index search result answer question language text "
			+ "small large fast slow early late simple complex first last long short high low open close new old "
			+ "people time year day way thing world life hand part child eye woman place work week case point number")
		.split(" ");

	private Sentences() {
	}

	/**
	 * The corpus.
	 * @param count how many sentences
	 * @return the sentences, in a fixed order
	 */
	public static List<String> corpus(int count) {
		Random random = new Random(42);
		List<String> sentences = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int words = (int) Math.max(4, Math.min(160, Math.round(Math.exp(3.1 + 0.6 * random.nextGaussian()))));
			StringBuilder sentence = new StringBuilder();
			for (int w = 0; w < words; w++) {
				String word = WORDS[random.nextInt(WORDS.length)];
				sentence.append((w == 0) ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
			}
			sentences.add(sentence.append('.').toString());
		}
		return sentences;
	}

}
