package io.mosec.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedding service ({@code embedding.*}).
 */
@ConfigurationProperties("embedding")
public class EmbeddingProperties {

	/**
	 * Which weights to serve: fp32 (an input's vector never depends on its batch-mates) or
	 * quantized (faster on a CPU, but vectors vary slightly with the batch).
	 */
	private EmbeddingModel.Variant variant = EmbeddingModel.Variant.FP32;

	/**
	 * ONNX Runtime threads per inference worker; workers times threads should not exceed the cores.
	 */
	private int intraOpThreads = 1;

	/**
	 * Most texts in one request; 422 beyond it.
	 */
	private int maxInputs = 256;

	/**
	 * Largest tensor run at once: a batch is cut into runs of sentences of similar length.
	 */
	private int chunk = 32;

	public EmbeddingModel.Variant getVariant() {
		return this.variant;
	}

	public void setVariant(EmbeddingModel.Variant variant) {
		this.variant = variant;
	}

	public int getIntraOpThreads() {
		return this.intraOpThreads;
	}

	public void setIntraOpThreads(int intraOpThreads) {
		this.intraOpThreads = intraOpThreads;
	}

	public int getMaxInputs() {
		return this.maxInputs;
	}

	public void setMaxInputs(int maxInputs) {
		this.maxInputs = maxInputs;
	}

	public int getChunk() {
		return this.chunk;
	}

	public void setChunk(int chunk) {
		this.chunk = chunk;
	}

}
