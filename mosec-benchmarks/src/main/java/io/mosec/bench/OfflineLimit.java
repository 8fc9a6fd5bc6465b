package io.mosec.bench;

import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.mosec.sample.EmbeddingModel;

/**
 * The offline limit of the real-model scenario: the sample's model in one JVM, on pre-formed
 * batches of 32 sentences in arrival order, no HTTP. Prints {@code sentences/s}.
 * <p>
 * Arguments: variant ({@code FP32} or {@code QUANTIZED}), intra-op threads, seconds, and
 * optionally the batch size (32 unless given; 1 runs one sentence at a time).
 */
public final class OfflineLimit {

	private OfflineLimit() {
	}

	public static void main(String[] args) throws Exception {
		EmbeddingModel.Variant variant = EmbeddingModel.Variant.valueOf(args[0]);
		int threads = Integer.parseInt(args[1]);
		long seconds = Long.parseLong(args[2]);
		int batchSize = (args.length > 3) ? Integer.parseInt(args[3]) : 32;
		List<long[]> sequences = new ArrayList<>();
		try (HuggingFaceTokenizer tokenizer = EmbeddingModel.tokenizer(variant)) {
			for (String sentence : Sentences.corpus(1024)) {
				sequences.add(tokenizer.encode(sentence).getIds());
			}
		}
		try (EmbeddingModel model = new EmbeddingModel(variant, threads)) {
			run(model, sequences, batchSize, System.nanoTime() + 3_000_000_000L);
			long started = System.nanoTime();
			long embedded = run(model, sequences, batchSize, started + seconds * 1_000_000_000L);
			double rate = embedded / ((System.nanoTime() - started) / 1e9);
			System.out.printf("sentences/s %.1f%n", rate);
		}
	}

	private static long run(EmbeddingModel model, List<long[]> sequences, int batchSize, long until) {
		long embedded = 0;
		int next = 0;
		while (System.nanoTime() < until) {
			List<long[]> batch = new ArrayList<>(batchSize);
			for (int i = 0; i < batchSize; i++) {
				batch.add(sequences.get(next));
				next = (next + 1) % sequences.size();
			}
			model.embed(batch, batchSize);
			embedded += batch.size();
		}
		return embedded;
	}

}
