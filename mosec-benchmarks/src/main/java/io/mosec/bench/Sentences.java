package io.mosec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A fixed corpus of English-like sentences of varied length (3 to 48 words), the same in every
 * run, so that every server and the offline limit embed the same texts in the same order.
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
			int words = 3 + (int) Math.min(45, Math.abs(random.nextGaussian() * 14));
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
