package io.mosec.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;

import org.springframework.context.annotation.Profile;

/**
 * Inference: the texts of every request in a dynamically formed batch, embedded together in
 * runs of similar length. Its workers and batching are set in application.yml, where an operator
 * tunes them. The model's run is an observation of its own, {@code embedding.inference}: a timer
 * on the server's {@code /actuator/prometheus} and, with tracing set up, a span in each request's
 * trace, under the stage's.
 */
@MosecStage(order = 2)
@Profile("!" + Embed.TORCH)
public class Embed implements BatchWorker<TokenizedRequest, EmbeddingResponse> {

	/** The profile that runs inference in PyTorch instead (application-torch.yml). */
	static final String TORCH = "torch";

	private final EmbeddingModel model;

	private final int chunk;

	private final ObservationRegistry observations;

	private final String variant;

	public Embed(EmbeddingProperties properties, ObservationRegistry observations) {
		this.model = new EmbeddingModel(properties.getVariant(), properties.getIntraOpThreads());
		this.chunk = properties.getChunk();
		this.observations = observations;
		this.variant = properties.getVariant().name().toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public List<EmbeddingResponse> forward(List<TokenizedRequest> batch) {
		List<long[]> sequences = new ArrayList<>();
		batch.forEach((request) -> sequences.addAll(request.ids()));
		List<float[]> vectors = Observation.createNotStarted("embedding.inference", this.observations)
			.lowCardinalityKeyValue("variant", this.variant)
			.highCardinalityKeyValue("texts", Integer.toString(sequences.size()))
			.observe(() -> this.model.embed(sequences, this.chunk));
		List<EmbeddingResponse> responses = new ArrayList<>(batch.size());
		int next = 0;
		for (TokenizedRequest request : batch) {
			int tokens = request.ids().stream().mapToInt((ids) -> ids.length).sum();
			responses.add(EmbeddingResponse.of(vectors.subList(next, next + request.ids().size()), tokens, request.shape()));
			next += request.ids().size();
		}
		return responses;
	}

	@Override
	public List<TokenizedRequest> examples() {
		// Warm up the shapes a batch will have: short and long, alone and together.
		List<TokenizedRequest> examples = new ArrayList<>();
		for (int length : new int[] { 8, 32, 128 }) {
			long[] ids = new long[length];
			Arrays.fill(ids, 1012L);
			ids[0] = 101L;
			ids[length - 1] = 102L;
			examples.add(new TokenizedRequest(List.of(ids, ids)));
		}
		return examples;
	}

}
