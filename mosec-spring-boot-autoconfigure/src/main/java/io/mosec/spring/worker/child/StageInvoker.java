package io.mosec.spring.worker.child;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.EventSink;
import io.mosec.spring.api.ServerException;
import io.mosec.spring.api.StreamClosedException;
import io.mosec.spring.api.StreamWorker;
import io.mosec.spring.api.Worker;
import io.mosec.spring.stage.StageDefinition;

/**
 * Calls a stage bean's {@code forward} the way its contract ({@code StageDefinition.kind()})
 * says: one per {@code StageKind}, chosen once, so that a batch never asks again what the bean
 * is.
 */
abstract sealed class StageInvoker {

	/** What {@code forward} made of one input: an output to encode, or what it threw. */
	record Forwarded(Object output, Exception failure) {

		/** A stream that ended well: its events have gone out already. */
		static final Forwarded STREAMED = new Forwarded(null, null);

		static Forwarded of(Object output) {
			return new Forwarded(output, null);
		}

		static Forwarded failed(Exception failure) {
			return new Forwarded(null, failure);
		}

	}

	/**
	 * The invoker of a stage's bean.
	 * @param stage the stage, whose kind the bean implements
	 * @param bean the bean
	 * @return the invoker
	 */
	@SuppressWarnings("unchecked") // The resolver checked the bean's contract and its types.
	static StageInvoker of(StageDefinition stage, Object bean) {
		return switch (stage.kind()) {
			case WORKER -> new One((Worker<Object, Object>) bean);
			case BATCH_WORKER -> new Batch(stage, (BatchWorker<Object, Object>) bean);
			case STREAM_WORKER -> new Stream((StreamWorker<Object, Object>) bean);
		};
	}

	/**
	 * The bean's warm-up inputs.
	 * @return the examples
	 */
	abstract List<Object> examples();

	/** The trace scope of one call of {@code forward}, for the inputs from one position to another. */
	@FunctionalInterface
	interface Traces {

		/** Nothing traced. */
		Traces NONE = (from, to) -> ForwardTracing.Scope.NONE;

		/**
		 * Opens the spans of a call that serves some inputs.
		 * @param from the first input's position
		 * @param to the position after the last input's
		 * @return what ends them
		 */
		ForwardTracing.Scope open(int from, int to);

	}

	/**
	 * Runs inputs through {@code forward}.
	 * @param inputs the decoded inputs, at most the max batch size
	 * @param events the event sink of each input's task, by position (streaming stages only)
	 * @param traces opens each call's spans
	 * @return one outcome per input, in order
	 */
	abstract List<Forwarded> forward(List<Object> inputs, IntFunction<EventSink<Object>> events, Traces traces);

	/** The contracts that take one input at a time: a failure fails that input's task alone. */
	abstract static sealed class OneByOne extends StageInvoker {

		/**
		 * Runs one input.
		 * @param input the input
		 * @param events its task's events
		 * @return what came of it
		 * @throws Exception what {@code forward} threw
		 */
		abstract Forwarded forwardOne(Object input, EventSink<Object> events) throws Exception;

		@Override
		final List<Forwarded> forward(List<Object> inputs, IntFunction<EventSink<Object>> events, Traces traces) {
			List<Forwarded> outcomes = new ArrayList<>(inputs.size());
			for (int i = 0; i < inputs.size(); i++) {
				try (ForwardTracing.Scope scope = traces.open(i, i + 1)) {
					outcomes.add(forwardOne(inputs.get(i), events.apply(i)));
				}
				catch (Exception ex) {
					outcomes.add(Forwarded.failed(ex));
				}
			}
			return outcomes;
		}

	}

	/** {@code Worker}. */
	static final class One extends OneByOne {

		private final Worker<Object, Object> bean;

		One(Worker<Object, Object> bean) {
			this.bean = bean;
		}

		@Override
		List<Object> examples() {
			return this.bean.examples();
		}

		@Override
		Forwarded forwardOne(Object input, EventSink<Object> events) throws Exception {
			return Forwarded.of(this.bean.forward(input));
		}

	}

	/** {@code BatchWorker}: the whole batch at once; a failure fails every task of it. */
	static final class Batch extends StageInvoker {

		private final StageDefinition stage;

		private final BatchWorker<Object, Object> bean;

		Batch(StageDefinition stage, BatchWorker<Object, Object> bean) {
			this.stage = stage;
			this.bean = bean;
		}

		@Override
		List<Object> examples() {
			return this.bean.examples();
		}

		@Override
		List<Forwarded> forward(List<Object> inputs, IntFunction<EventSink<Object>> events, Traces traces) {
			List<Object> outputs;
			try (ForwardTracing.Scope scope = traces.open(0, inputs.size())) {
				outputs = this.bean.forward(inputs);
				int actual = (outputs != null) ? outputs.size() : 0;
				if (actual != inputs.size()) {
					throw new ServerException("stage '" + this.stage.name() + "' returned " + actual
							+ " outputs for a batch of " + inputs.size());
				}
			}
			catch (Exception ex) {
				return inputs.stream().map((input) -> Forwarded.failed(ex)).toList();
			}
			return outputs.stream().map(Forwarded::of).toList();
		}

	}

	/** {@code StreamWorker}: its events are sent as they come. */
	static final class Stream extends OneByOne {

		private final StreamWorker<Object, Object> bean;

		Stream(StreamWorker<Object, Object> bean) {
			this.bean = bean;
		}

		@Override
		List<Object> examples() {
			return this.bean.examples();
		}

		@Override
		Forwarded forwardOne(Object input, EventSink<Object> events) throws Exception {
			try {
				this.bean.forward(input, events);
			}
			catch (StreamClosedException ex) {
				// The client has gone: nobody reads how this stream ended.
			}
			return Forwarded.STREAMED;
		}

	}

}
