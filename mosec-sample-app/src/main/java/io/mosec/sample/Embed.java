package io.mosec.sample;

import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;

/**
 * The "model": a batched stage that hashes tokens into a normalised vector. A real model
 * replaces it; what matters here is that it receives dynamically formed batches.
 */
@MosecStage(order = 2, maxBatchSize = 16, maxWaitTime = "5ms")
public class Embed implements BatchWorker<Tokens, Embedding> {

	static final int DIMENSIONS = 8;

	@Override
	public List<Embedding> forward(List<Tokens> batch) {
		List<Embedding> embeddings = new ArrayList<>(batch.size());
		for (Tokens tokens : batch) {
			float[] vector = new float[DIMENSIONS];
			for (String token : tokens.tokens()) {
				vector[Math.floorMod(token.hashCode(), DIMENSIONS)] += 1;
			}
			double norm = 0;
			for (float value : vector) {
				norm += value * value;
			}
			if (norm > 0) {
				for (int i = 0; i < DIMENSIONS; i++) {
					vector[i] = (float) (vector[i] / Math.sqrt(norm));
				}
			}
			embeddings.add(new Embedding(tokens.tokens().size(), vector));
		}
		return embeddings;
	}

	@Override
	public List<Tokens> examples() {
		return List.of(new Tokens(List.of("warm", "up")));
	}

}
