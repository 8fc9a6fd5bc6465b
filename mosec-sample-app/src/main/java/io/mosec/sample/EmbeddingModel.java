package io.mosec.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * all-MiniLM-L6-v2 run directly on ONNX Runtime: a batch of sentences is one padded
 * {@code [B, L]} tensor, pooled by the attention mask and L2-normalised, as sentence-transformers
 * does. The model and tokenizer are classpath resources of a Maven artifact: nothing is
 * downloaded.
 */
public final class EmbeddingModel implements AutoCloseable {

	/** The model name clients send and get back. */
	public static final String NAME = "all-minilm-l6-v2";

	/** The length of every embedding. */
	public static final int DIMENSIONS = 384;

	/** Most of a run's tensor that may be padding before the run is cut. */
	static final double MAX_PADDING = 0.1;

	/** Longest input, in tokens with [CLS] and [SEP]: longer texts are truncated, as the model was trained. */
	public static final int MAX_TOKENS = 256;

	/** Token ids run from 0 to one less than this (the rows of the model's word embeddings). */
	public static final int VOCABULARY = 30522;

	/** The id of [CLS], which starts every sequence. */
	public static final long CLS = 101;

	/** The id of [SEP], which ends every sequence. */
	public static final long SEP = 102;

	/**
	 * Which weights to run.
	 */
	public enum Variant {

		/** fp32: a sentence's vector does not depend on its batch-mates. The default. */
		FP32("all-minilm-l6-v2"),

		/**
		 * int8: faster on a CPU, but activations are quantized per batch tensor, so a sentence's
		 * vector changes slightly with the other sentences of its batch (cosine 0.98-0.99).
		 */
		QUANTIZED("all-minilm-l6-v2-q");

		private final String resource;

		Variant(String resource) {
			this.resource = resource;
		}

		/** The name of its files on the classpath, without the extension. */
		String resource() {
			return this.resource;
		}

	}

	private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

	private final OrtSession session;

	/**
	 * Loads the model.
	 * @param variant the weights
	 * @param intraOpThreads ONNX Runtime threads per inference: with several worker processes on
	 * few cores, 1 each keeps them from fighting over cores
	 */
	public EmbeddingModel(Variant variant, int intraOpThreads) {
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(intraOpThreads);
			options.setInterOpNumThreads(1);
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			this.session = this.environment.createSession(resource(variant.resource + ".onnx"), options);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Cannot load " + variant.resource + ".onnx", ex);
		}
	}

	/**
	 * A tokenizer alone, for the tokenising stage.
	 * @param variant the weights whose tokenizer to load
	 * @return the tokenizer, truncating at {@link #MAX_TOKENS}
	 */
	public static HuggingFaceTokenizer tokenizer(Variant variant) {
		try (InputStream json = EmbeddingModel.class.getClassLoader()
			.getResourceAsStream(variant.resource + "-tokenizer.json")) {
			return HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "true", "padding", "false",
					"maxLength", Integer.toString(MAX_TOKENS), "addSpecialTokens", "true"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] resource(String name) {
		try (InputStream in = EmbeddingModel.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException(name + " is not on the classpath");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Embeds token sequences in runs of similar length: sorted by length, then cut wherever
	 * another sequence would make more than {@link #MAX_PADDING} of the run's tensor padding, or
	 * the run would exceed {@code chunk}. On a CPU, padding is most of what batching wastes.
	 * @param sequences the token ids of each sentence
	 * @param chunk the largest run
	 * @return one L2-normalised vector per sequence, in the same order
	 */
	public List<float[]> embed(List<long[]> sequences, int chunk) {
		Integer[] order = new Integer[sequences.size()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparingInt((Integer i) -> sequences.get(i).length));
		float[][] vectors = new float[sequences.size()][];
		int from = 0;
		while (from < order.length) {
			int to = from + 1;
			long tokens = sequences.get(order[from]).length;
			while (to < order.length && to - from < chunk) {
				int length = sequences.get(order[to]).length;
				// Sorted ascending: the new sequence sets the run's padded length.
				if ((long) length * (to - from + 1) > (tokens + length) * (1 + MAX_PADDING)) {
					break;
				}
				tokens += length;
				to++;
			}
			List<long[]> group = new ArrayList<>(to - from);
			for (int k = from; k < to; k++) {
				group.add(sequences.get(order[k]));
			}
			float[][] embedded = run(group);
			for (int k = from; k < to; k++) {
				vectors[order[k]] = embedded[k - from];
			}
			from = to;
		}
		return Arrays.asList(vectors);
	}

	/**
	 * One padded [B, L] run, mean-pooled by the attention mask, then L2-normalised. Tensors go in
	 * and out as flat buffers, one copy each way: ONNX Runtime's multi-dimensional array
	 * conversions walk every row through reflection and JNI.
	 */
	private float[][] run(List<long[]> batch) {
		int size = batch.size();
		int length = batch.stream().mapToInt((ids) -> ids.length).max().orElse(0);
		long[] ids = new long[size * length];
		long[] mask = new long[size * length];
		for (int b = 0; b < size; b++) {
			long[] sequence = batch.get(b);
			System.arraycopy(sequence, 0, ids, b * length, sequence.length);
			Arrays.fill(mask, b * length, b * length + sequence.length, 1L);
		}
		long[] shape = { size, length };
		try (OnnxTensor inputIds = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(ids), shape);
				OnnxTensor attentionMask = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(mask), shape);
				OnnxTensor tokenTypes = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(new long[size * length]),
						shape);
				OrtSession.Result result = this.session.run(Map.of("input_ids", inputIds, "attention_mask",
						attentionMask, "token_type_ids", tokenTypes))) {
			FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
			float[][] vectors = new float[size][];
			for (int b = 0; b < size; b++) {
				vectors[b] = pool(hidden, b * length * DIMENSIONS, batch.get(b).length);
			}
			return vectors;
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Inference failed", ex);
		}
	}

	/** The mean of a sentence's first {@code real} token vectors, starting at {@code offset}. */
	private static float[] pool(FloatBuffer hidden, int offset, int real) {
		float[] vector = new float[DIMENSIONS];
		for (int t = 0; t < real; t++) {
			int row = offset + t * DIMENSIONS;
			for (int d = 0; d < DIMENSIONS; d++) {
				vector[d] += hidden.get(row + d);
			}
		}
		double norm = 0;
		for (int d = 0; d < DIMENSIONS; d++) {
			vector[d] /= real;
			norm += vector[d] * vector[d];
		}
		float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
		for (int d = 0; d < DIMENSIONS; d++) {
			vector[d] *= scale;
		}
		return vector;
	}

	@Override
	public void close() throws OrtException {
		this.session.close();
	}

}
