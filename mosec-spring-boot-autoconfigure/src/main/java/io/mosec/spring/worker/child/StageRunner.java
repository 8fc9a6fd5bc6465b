package io.mosec.spring.worker.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.EventSink;
import io.mosec.spring.api.FieldError;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.StreamClosedException;
import io.mosec.spring.api.StreamWorker;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.api.Worker;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadDecodingException;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.ErrorReport;
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

	private final InputValidator validator;

	public StageRunner(StageDefinition stage, Object bean, PayloadCodec codec) {
		this(stage, bean, codec, InputValidator.NONE);
	}

	/**
	 * Creates a runner.
	 * @param stage the stage
	 * @param bean its bean
	 * @param codec the payload codec
	 * @param validator checks each decoded ingress input before {@code forward}
	 */
	public StageRunner(StageDefinition stage, Object bean, PayloadCodec codec, InputValidator validator) {
		this.stage = stage;
		this.bean = bean;
		this.codec = codec;
		this.validator = validator;
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
		if (this.bean instanceof StreamWorker streamWorker) {
			List<Object> examples = streamWorker.examples();
			for (Object example : examples) {
				streamWorker.forward(example, new Events(0, EventChannel.DISCARD));
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
	 * Runs one batch of a stage that does not stream.
	 * @param request the batch, one item per task
	 * @return the reply, one item per task in the same order, each with its own status
	 */
	public Frame run(Frame request) {
		return run(request, EventChannel.DISCARD);
	}

	/**
	 * Runs one batch.
	 * @param request the batch, one item per task
	 * @param events where a streaming stage's events go, as they are sent
	 * @return the reply, one item per task in the same order, each with its own status (an
	 * empty payload for a stream that ended well)
	 */
	public Frame run(Frame request, EventChannel events) {
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
			}
			catch (PayloadDecodingException ex) {
				fail(status, payloads, i, Flags.BAD_REQUEST, "decoding error: " + ex.getMessage());
				continue;
			}
			catch (RuntimeException ex) {
				// Whatever else a payload provokes in the decoder, it fails this task alone.
				logger.warn("Stage '" + this.stage.name() + "' could not decode a payload", ex);
				fail(status, payloads, i, Flags.BAD_REQUEST, "decoding error: the payload could not be decoded");
				continue;
			}
			if (isValid(item, inputs[i], i, status, payloads)) {
				decoded.add(i);
			}
		}
		if (!decoded.isEmpty()) {
			if (this.bean instanceof BatchWorker<?, ?> batchWorker) {
				forwardBatch(batchWorker, decoded, inputs, items, status, payloads);
			}
			else if (this.bean instanceof StreamWorker<?, ?> streamWorker) {
				for (int i : decoded) {
					forwardStream(streamWorker, i, inputs, items, events, status, payloads);
				}
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

	/** Validates an ingress input; an invalid one fails its task alone, with 422. */
	private boolean isValid(Frame.Item item, Object input, int i, int[] status, byte[][] payloads) {
		if ((item.state() & Flags.INGRESS) == 0) {
			return true;
		}
		List<FieldError> invalid;
		try {
			invalid = this.validator.validate(input);
		}
		catch (RuntimeException ex) {
			// A broken constraint (a bug in the application) is not the client's fault.
			logger.error("Stage '" + this.stage.name() + "' could not validate an input", ex);
			fail(status, payloads, i, Flags.INTERNAL_ERROR, "inference internal error: the input could not be validated");
			return false;
		}
		if (invalid.isEmpty()) {
			return true;
		}
		fail(status, payloads, i, Flags.VALIDATION_ERROR,
				new ErrorReport("request validation error: " + describe(invalid), invalid));
		return false;
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
			ErrorReport report = reportFor(ex);
			decoded.forEach((i) -> fail(status, payloads, i, flag, report));
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
			fail(status, payloads, i, flagFor(ex), reportFor(ex));
			return;
		}
		encode(output, items.get(i).state(), i, status, payloads);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void forwardStream(StreamWorker worker, int i, Object[] inputs, List<Frame.Item> items,
			EventChannel channel, int[] status, byte[][] payloads) {
		try {
			worker.forward(inputs[i], new Events(items.get(i).id(), channel));
		}
		catch (StreamClosedException ex) {
			// The client has gone: nobody reads how this stream ended.
		}
		catch (Exception ex) {
			fail(status, payloads, i, flagFor(ex), reportFor(ex));
			return;
		}
		status[i] = Flags.OK;
		payloads[i] = new byte[0];
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

	private ErrorReport reportFor(Exception ex) {
		if (ex instanceof ClientException) {
			return new ErrorReport("bad request: " + ex.getMessage());
		}
		if (ex instanceof ValidationException invalid) {
			return new ErrorReport("request validation error: " + ex.getMessage(), invalid.getErrors());
		}
		if (ex instanceof ServerException) {
			return new ErrorReport("inference internal error: " + ex.getMessage());
		}
		// An unexpected exception's message may hold internals: log it here, tell the client less.
		logger.error("Stage '" + this.stage.name() + "' failed", ex);
		return new ErrorReport("inference internal error");
	}

	private static String describe(List<FieldError> errors) {
		StringBuilder detail = new StringBuilder();
		for (FieldError error : errors) {
			detail.append((detail.length() > 0) ? "; " : "").append(error.field()).append(' ').append(error.message());
		}
		return detail.toString();
	}

	private static void fail(int[] status, byte[][] payloads, int i, int flag, String detail) {
		fail(status, payloads, i, flag, new ErrorReport(detail));
	}

	private static void fail(int[] status, byte[][] payloads, int i, int flag, ErrorReport report) {
		status[i] = flag;
		payloads[i] = report.toBytes();
	}

	/** The events of one task of a streaming stage: JSON, or the text itself for a string. */
	private final class Events implements EventSink<Object> {

		private final int taskId;

		private final EventChannel channel;

		Events(int taskId, EventChannel channel) {
			this.taskId = taskId;
			this.channel = channel;
		}

		@Override
		public void send(Object event) {
			if (event == null) {
				throw new IllegalArgumentException("An event must not be null");
			}
			if (!isOpen()) {
				throw new StreamClosedException("the client of this stream has gone");
			}
			byte[] data = (event instanceof String text) ? text.getBytes(StandardCharsets.UTF_8)
					: StageRunner.this.codec.encode(event, PayloadFormat.JSON);
			try {
				this.channel.send(this.taskId, data);
			}
			catch (IOException ex) {
				throw new StreamClosedException("the server cannot be reached: " + ex.getMessage());
			}
		}

		@Override
		public boolean isOpen() {
			return this.channel.isOpen(this.taskId);
		}

	}

}
