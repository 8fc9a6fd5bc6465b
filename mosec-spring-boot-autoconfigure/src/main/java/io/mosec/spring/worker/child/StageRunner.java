package io.mosec.spring.worker.child;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadDecodingException;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs one batch through a stage bean, where the worker lives: decodes each task (the request
 * body at ingress, msgpack after it), calls {@code forward}, and encodes each output (the
 * response at egress, msgpack before it).
 * <p>
 * A task that fails to decode fails alone, with 400; its batch-mates go on. An exception from
 * {@code forward} fails every task it was given.
 */
public final class StageRunner {

	private static final Log logger = LogFactory.getLog(StageRunner.class);

	private final StageDefinition stage;

	private final Object bean;

	private final PayloadCodec codec;

	public StageRunner(StageDefinition stage, Object bean, PayloadCodec codec) {
		this.stage = stage;
		this.bean = bean;
		this.codec = codec;
	}

	/**
	 * Runs the stage's {@code examples()} through {@code forward}, in batches of at most the
	 * max batch size.
	 * @return how many examples ran
	 * @throws Exception what {@code forward} threw
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public int warmUp() throws Exception {
		if (this.bean instanceof BatchWorker batchWorker) {
			List<Object> examples = batchWorker.examples();
			for (int from = 0; from < examples.size(); from += this.stage.maxBatchSize()) {
				List<Object> batch = examples.subList(from, Math.min(examples.size(), from + this.stage.maxBatchSize()));
				checkSize(batch.size(), batchWorker.forward(batch));
			}
			return examples.size();
		}
		Worker worker = (Worker) this.bean;
		List<Object> examples = worker.examples();
		for (Object example : examples) {
			worker.forward(example);
		}
		return examples.size();
	}

	/**
	 * Runs one batch.
	 * @param request the batch, one item per task
	 * @return the reply, one item per task in the same order, each with its own status
	 */
	public Frame run(Frame request) {
		List<Frame.Item> items = request.items();
		int size = items.size();
		Object[] inputs = new Object[size];
		int[] status = new int[size];
		byte[][] payloads = new byte[size][];
		List<Integer> decoded = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Frame.Item item = items.get(i);
			try {
				inputs[i] = this.codec.decode(item.payload(), inputFormat(item.state()), this.stage.inputType());
				decoded.add(i);
			}
			catch (PayloadDecodingException ex) {
				fail(status, payloads, i, Flags.BAD_REQUEST, "decoding error: " + ex.getMessage());
			}
			catch (RuntimeException ex) {
				// Whatever else a payload provokes in the decoder, it fails this task alone.
				logger.warn("Stage '" + this.stage.name() + "' could not decode a payload", ex);
				fail(status, payloads, i, Flags.BAD_REQUEST, "decoding error: the payload could not be decoded");
			}
		}
		if (!decoded.isEmpty()) {
			if (this.bean instanceof BatchWorker<?, ?> batchWorker) {
				forwardBatch(batchWorker, decoded, inputs, items, status, payloads);
			}
			else {
				for (int i : decoded) {
					forwardOne((Worker<?, ?>) this.bean, i, inputs, items, status, payloads);
				}
			}
		}
		List<Frame.Item> reply = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			reply.add(new Frame.Item(items.get(i).id(), status[i], payloads[i]));
		}
		return new Frame(Flags.OK, reply);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void forwardBatch(BatchWorker batchWorker, List<Integer> decoded, Object[] inputs, List<Frame.Item> items,
			int[] status, byte[][] payloads) {
		List<Object> batch = new ArrayList<>(decoded.size());
		decoded.forEach((i) -> batch.add(inputs[i]));
		List<Object> outputs;
		try {
			outputs = batchWorker.forward(batch);
			checkSize(batch.size(), outputs);
		}
		catch (Exception ex) {
			int flag = flagFor(ex);
			String detail = detailFor(ex);
			decoded.forEach((i) -> fail(status, payloads, i, flag, detail));
			return;
		}
		for (int k = 0; k < decoded.size(); k++) {
			int i = decoded.get(k);
			encode(outputs.get(k), items.get(i).state(), i, status, payloads);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void forwardOne(Worker worker, int i, Object[] inputs, List<Frame.Item> items, int[] status,
			byte[][] payloads) {
		Object output;
		try {
			output = worker.forward(inputs[i]);
		}
		catch (Exception ex) {
			fail(status, payloads, i, flagFor(ex), detailFor(ex));
			return;
		}
		encode(output, items.get(i).state(), i, status, payloads);
	}

	private void encode(Object output, int state, int i, int[] status, byte[][] payloads) {
		if (output == null) {
			fail(status, payloads, i, Flags.INTERNAL_ERROR, "inference internal error: stage '" + this.stage.name()
					+ "' returned null");
			return;
		}
		try {
			payloads[i] = this.codec.encode(output, outputFormat(state));
			status[i] = Flags.OK;
		}
		catch (RuntimeException ex) {
			logger.error("Stage '" + this.stage.name() + "' returned an output that cannot be encoded", ex);
			fail(status, payloads, i, Flags.INTERNAL_ERROR, "inference internal error: the output of stage '"
					+ this.stage.name() + "' cannot be encoded");
		}
	}

	private void checkSize(int expected, List<?> outputs) {
		int actual = (outputs != null) ? outputs.size() : 0;
		if (actual != expected) {
			throw new ServerException("stage '" + this.stage.name() + "' returned " + actual + " outputs for a batch of "
					+ expected);
		}
	}

	private static PayloadFormat inputFormat(int state) {
		return ((state & Flags.INGRESS) != 0 && (state & Flags.MSGPACK_IN) == 0) ? PayloadFormat.JSON
				: PayloadFormat.MSGPACK;
	}

	private static PayloadFormat outputFormat(int state) {
		return ((state & Flags.EGRESS) != 0 && (state & Flags.MSGPACK_OUT) == 0) ? PayloadFormat.JSON
				: PayloadFormat.MSGPACK;
	}

	private static int flagFor(Exception ex) {
		if (ex instanceof ClientException) {
			return Flags.BAD_REQUEST;
		}
		if (ex instanceof ValidationException) {
			return Flags.VALIDATION_ERROR;
		}
		return Flags.INTERNAL_ERROR;
	}

	private String detailFor(Exception ex) {
		if (ex instanceof ClientException) {
			return "bad request: " + ex.getMessage();
		}
		if (ex instanceof ValidationException) {
			return "request validation error: " + ex.getMessage();
		}
		if (ex instanceof ServerException) {
			return "inference internal error: " + ex.getMessage();
		}
		// An unexpected exception's message may hold internals: log it here, tell the client less.
		logger.error("Stage '" + this.stage.name() + "' failed", ex);
		return "inference internal error";
	}

	private static void fail(int[] status, byte[][] payloads, int i, int flag, String detail) {
		status[i] = flag;
		payloads[i] = detail.getBytes(StandardCharsets.UTF_8);
	}

}
