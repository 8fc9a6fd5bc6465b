package io.mosec.spring.worker.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.EventSink;
import io.mosec.spring.api.FieldError;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.StreamClosedException;
import io.mosec.spring.api.ValidationException;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadDecodingException;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.protocol.ErrorReport;
import io.mosec.spring.protocol.Failure;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.worker.child.StageInvoker.Forwarded;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs one batch through a stage bean, where the worker lives: decodes each task (the request
 * body at ingress, msgpack after it), calls {@code forward}, and encodes each output (the
 * response at egress, msgpack before it).
 * <p>
 * A task that fails to decode or validate fails alone, with 400 or 422; its batch-mates go on.
 * What {@code forward} throws fails the tasks it was given: one for a {@code Worker}, the batch
 * for a {@code BatchWorker}.
 */
public final class StageRunner {

	private static final Log logger = LogFactory.getLog(StageRunner.class);

	private final StageDefinition stage;

	private final StageInvoker invoker;

	private final PayloadCodec codec;

	private final InputValidator validator;

	private final int workerId;

	private final ForwardTracing tracing;

	/**
	 * Creates a runner that traces nothing.
	 * @param stage the stage
	 * @param bean its bean
	 * @param codec the payload codec
	 * @param validator checks each decoded ingress input before {@code forward}
	 */
	public StageRunner(StageDefinition stage, Object bean, PayloadCodec codec, InputValidator validator) {
		this(stage, bean, codec, validator, 0, ForwardTracing.NONE);
	}

	/**
	 * Creates a runner.
	 * @param stage the stage
	 * @param bean its bean
	 * @param codec the payload codec
	 * @param validator checks each decoded ingress input before {@code forward}
	 * @param workerId the worker it runs in
	 * @param tracing opens spans under the traced tasks' contexts
	 */
	public StageRunner(StageDefinition stage, Object bean, PayloadCodec codec, InputValidator validator, int workerId,
			ForwardTracing tracing) {
		this.stage = stage;
		this.invoker = StageInvoker.of(stage, bean);
		this.codec = codec;
		this.validator = validator;
		this.workerId = workerId;
		this.tracing = tracing;
	}

	/**
	 * Runs the stage's {@code examples()} through {@code forward}, in batches of at most the
	 * max batch size.
	 * @return how many examples ran
	 * @throws Exception what {@code forward} threw
	 */
	public int warmUp() throws Exception {
		List<Object> examples = this.invoker.examples();
		for (int from = 0; from < examples.size(); from += this.stage.maxBatchSize()) {
			List<Object> batch = examples.subList(from, Math.min(examples.size(), from + this.stage.maxBatchSize()));
			for (Forwarded outcome : this.invoker.forward(batch, (i) -> new Events(0, EventChannel.DISCARD),
					StageInvoker.Traces.NONE)) {
				if (outcome.failure() != null) {
					throw outcome.failure();
				}
			}
		}
		return examples.size();
	}

	/**
	 * Runs one batch of a stage that does not stream.
	 * @param request the batch, one item per task
	 * @return the reply, one item per task in the same order, each with its own status
	 */
	public Frame run(Frame request) {
		return run(request, null, EventChannel.DISCARD);
	}

	/**
	 * Runs one batch.
	 * @param request the batch, one item per task
	 * @param traces the trace contexts of its traced tasks ({@code Flags.TRACE}), or {@code null}
	 * @param events where a streaming stage's events go, as they are sent
	 * @return the reply, one item per task in the same order, each with its own status (an
	 * empty payload for a stream that ended well)
	 */
	public Frame run(Frame request, Frame traces, EventChannel events) {
		List<Frame.Item> items = request.items();
		Frame.Item[] reply = new Frame.Item[items.size()];
		List<Frame.Item> accepted = new ArrayList<>(items.size());
		List<Object> inputs = new ArrayList<>(items.size());
		List<Integer> positions = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			Frame.Item item = items.get(i);
			Object input;
			try {
				input = this.codec.decode(item.payload(), inputFormat(item.state()), this.stage.inputType());
			}
			catch (PayloadDecodingException ex) {
				reply[i] = failed(item, Failure.DECODING_ERROR, new ErrorReport(Failure.DECODING_ERROR.detail(ex.getMessage())));
				continue;
			}
			catch (RuntimeException ex) {
				// Whatever else a payload provokes in the decoder, it fails this task alone.
				logger.warn("Stage '" + this.stage.name() + "' could not decode a payload", ex);
				reply[i] = failed(item, Failure.DECODING_ERROR,
						new ErrorReport(Failure.DECODING_ERROR.detail("the payload could not be decoded")));
				continue;
			}
			reply[i] = invalid(item, input);
			if (reply[i] == null) {
				accepted.add(item);
				inputs.add(input);
				positions.add(i);
			}
		}
		if (!inputs.isEmpty()) {
			List<Forwarded> outcomes = this.invoker.forward(inputs, (k) -> new Events(accepted.get(k).id(), events),
					traces(traces, accepted));
			Frame.Item previous = null;
			for (int k = 0; k < outcomes.size(); k++) {
				Frame.Item item = accepted.get(k);
				Forwarded outcome = outcomes.get(k);
				// A batch's failure is reported (and logged) once, then copied to each of its tasks.
				boolean sameFailure = k > 0 && outcome.failure() != null && outcome.failure() == outcomes.get(k - 1).failure();
				previous = sameFailure ? new Frame.Item(item.id(), previous.state(), previous.payload()) : answer(item, outcome);
				reply[positions.get(k)] = previous;
			}
		}
		return new Frame(Flags.OK, List.of(reply));
	}

	/** Each call's spans, under the contexts of the traced tasks among those it serves. */
	private StageInvoker.Traces traces(Frame traces, List<Frame.Item> accepted) {
		if (traces == null || traces.items().isEmpty()) {
			return StageInvoker.Traces.NONE;
		}
		Map<Integer, byte[]> contexts = new HashMap<>();
		traces.items().forEach((item) -> contexts.put(item.id(), item.payload()));
		return (from, to) -> {
			List<byte[]> served = new ArrayList<>();
			for (Frame.Item item : accepted.subList(from, to)) {
				byte[] context = contexts.get(item.id());
				if (context != null) {
					served.add(context);
				}
			}
			return served.isEmpty() ? ForwardTracing.Scope.NONE
					: this.tracing.open(this.stage.name(), this.workerId, served, to - from);
		};
	}

	/** An ingress input that fails validation fails its task alone, with 422; {@code null} if valid. */
	private Frame.Item invalid(Frame.Item item, Object input) {
		if ((item.state() & Flags.INGRESS) == 0) {
			return null;
		}
		List<FieldError> invalid;
		try {
			invalid = this.validator.validate(input);
		}
		catch (RuntimeException ex) {
			// A broken constraint (a bug in the application) is not the client's fault.
			logger.error("Stage '" + this.stage.name() + "' could not validate an input", ex);
			return failed(item, Failure.INTERNAL_ERROR,
					new ErrorReport(Failure.INTERNAL_ERROR.detail("the input could not be validated")));
		}
		if (invalid.isEmpty()) {
			return null;
		}
		return failed(item, Failure.VALIDATION_ERROR,
				new ErrorReport(Failure.VALIDATION_ERROR.detail(describe(invalid)), invalid));
	}

	private Frame.Item answer(Frame.Item item, Forwarded outcome) {
		if (outcome.failure() != null) {
			return failedBy(item, outcome.failure());
		}
		if (outcome == Forwarded.STREAMED) {
			return new Frame.Item(item.id(), Flags.OK, new byte[0]);
		}
		if (outcome.output() == null) {
			return failed(item, Failure.INTERNAL_ERROR,
					new ErrorReport(Failure.INTERNAL_ERROR.detail("stage '" + this.stage.name() + "' returned null")));
		}
		try {
			return new Frame.Item(item.id(), Flags.OK, this.codec.encode(outcome.output(), outputFormat(item.state())));
		}
		catch (RuntimeException ex) {
			logger.error("Stage '" + this.stage.name() + "' returned an output that cannot be encoded", ex);
			return failed(item, Failure.INTERNAL_ERROR, new ErrorReport(
					Failure.INTERNAL_ERROR.detail("the output of stage '" + this.stage.name() + "' cannot be encoded")));
		}
	}

	/** What the client learns of an exception from {@code forward}. */
	private Frame.Item failedBy(Frame.Item item, Exception ex) {
		if (ex instanceof ClientException) {
			return failed(item, Failure.BAD_REQUEST, new ErrorReport(Failure.BAD_REQUEST.detail(ex.getMessage())));
		}
		if (ex instanceof ValidationException invalid) {
			return failed(item, Failure.VALIDATION_ERROR,
					new ErrorReport(Failure.VALIDATION_ERROR.detail(ex.getMessage()), invalid.getErrors()));
		}
		if (ex instanceof ServerException) {
			return failed(item, Failure.INTERNAL_ERROR, new ErrorReport(Failure.INTERNAL_ERROR.detail(ex.getMessage())));
		}
		// An unexpected exception's message may hold internals: log it here, tell the client less.
		logger.error("Stage '" + this.stage.name() + "' failed", ex);
		return failed(item, Failure.INTERNAL_ERROR, new ErrorReport(Failure.INTERNAL_ERROR.detail(null)));
	}

	private static Frame.Item failed(Frame.Item item, Failure failure, ErrorReport report) {
		return new Frame.Item(item.id(), failure.flag(), report.toBytes());
	}

	private static PayloadFormat inputFormat(int state) {
		return ((state & Flags.INGRESS) != 0 && (state & Flags.MSGPACK_IN) == 0) ? PayloadFormat.JSON
				: PayloadFormat.MSGPACK;
	}

	private static PayloadFormat outputFormat(int state) {
		return ((state & Flags.EGRESS) != 0 && (state & Flags.MSGPACK_OUT) == 0) ? PayloadFormat.JSON
				: PayloadFormat.MSGPACK;
	}

	private static String describe(List<FieldError> errors) {
		StringBuilder detail = new StringBuilder();
		for (FieldError error : errors) {
			detail.append((detail.length() > 0) ? "; " : "").append(error.field()).append(' ').append(error.message());
		}
		return detail.toString();
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
