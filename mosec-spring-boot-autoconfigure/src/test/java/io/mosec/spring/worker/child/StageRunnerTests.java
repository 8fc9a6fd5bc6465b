package io.mosec.spring.worker.child;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.ClientException;
import io.mosec.spring.api.Worker;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.protocol.ErrorReport;
import io.mosec.spring.protocol.Flags;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One batch through a stage bean, item by item: what fails alone, what fails the batch.
 */
class StageRunnerTests {

	private static final int JSON_IN_OUT = Flags.INGRESS | Flags.EGRESS;

	private final PayloadCodec codec = new PayloadCodec();

	@Test
	void failsAMalformedItemAloneAndGivesItsBatchMatesToForwardTogether() {
		Doubling bean = new Doubling();
		Frame reply = runner(StageKind.BATCH_WORKER, 8, bean).run(batch("1", "oops", "3"));
		assertThat(bean.batches).containsExactly(List.of(1, 3));
		assertThat(reply.items()).extracting(Frame.Item::id).containsExactly(1, 2, 3);
		assertThat(reply.items()).extracting(Frame.Item::state)
			.containsExactly(Flags.OK, Flags.BAD_REQUEST, Flags.OK);
		assertThat(text(reply.items().get(0))).isEqualTo("2");
		assertThat(ErrorReport.fromBytes(reply.items().get(1).payload()).detail()).startsWith("decoding error: ");
		assertThat(text(reply.items().get(2))).isEqualTo("6");
	}

	@Test
	void failsEveryItemOfABatchWhoseForwardThrowsWithOneReport() {
		Frame reply = runner(StageKind.BATCH_WORKER, 8, (BatchWorker<Integer, Integer>) (batch) -> {
			throw new ClientException("no " + batch.size());
		}).run(batch("1", "2"));
		assertThat(reply.items()).extracting(Frame.Item::state).containsOnly(Flags.BAD_REQUEST);
		assertThat(reply.items()).extracting((item) -> ErrorReport.fromBytes(item.payload()).detail())
			.containsOnly("bad request: no 2");
	}

	@Test
	void failsABatchWhoseForwardReturnsTheWrongNumberOfOutputs() {
		Frame reply = runner(StageKind.BATCH_WORKER, 8, (BatchWorker<Integer, Integer>) (batch) -> List.of(1))
			.run(batch("1", "2"));
		assertThat(reply.items()).extracting(Frame.Item::state).containsOnly(Flags.INTERNAL_ERROR);
		assertThat(ErrorReport.fromBytes(reply.items().get(0).payload()).detail())
			.isEqualTo("inference internal error: stage 's' returned 1 outputs for a batch of 2");
	}

	@Test
	void failsOnlyTheInputAWorkerThrowsOnAndHidesAnUnexpectedExceptionsMessage() {
		Frame reply = runner(StageKind.WORKER, 1, (Worker<Integer, Integer>) (input) -> {
			if (input == 2) {
				throw new IllegalStateException("secret internals");
			}
			return input;
		}).run(batch("1", "2", "3"));
		assertThat(reply.items()).extracting(Frame.Item::state).containsExactly(Flags.OK, Flags.INTERNAL_ERROR, Flags.OK);
		assertThat(ErrorReport.fromBytes(reply.items().get(1).payload()).detail()).isEqualTo("inference internal error");
	}

	@Test
	void warmsUpInBatchesOfAtMostTheMaxBatchSize() throws Exception {
		Doubling bean = new Doubling();
		bean.examples = List.of(1, 2, 3, 4, 5);
		assertThat(runner(StageKind.BATCH_WORKER, 2, bean).warmUp()).isEqualTo(5);
		assertThat(bean.batches).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
	}

	@Test
	void opensEachCallsSpansUnderTheContextsOfTheTracedTasksItServes() {
		List<String> opened = new ArrayList<>();
		ForwardTracing tracing = (stage, workerId, contexts, batchSize) -> {
			opened.add(stage + " " + workerId + " " + batchSize + " "
					+ contexts.stream().map((context) -> new String(context, StandardCharsets.UTF_8)).toList());
			return ForwardTracing.Scope.NONE;
		};
		Frame traces = new Frame(Flags.TRACE, List.of(new Frame.Item(1, 0, "a".getBytes(StandardCharsets.UTF_8)),
				new Frame.Item(3, 0, "c".getBytes(StandardCharsets.UTF_8))));
		stageRunner(StageKind.WORKER, 1, (Worker<Integer, Integer>) (input) -> input, tracing)
			.run(batch("1", "2", "3"), traces, EventChannel.DISCARD);
		assertThat(opened).as("one call per task; the untraced one opens nothing").containsExactly("s 7 1 [a]", "s 7 1 [c]");
		opened.clear();
		stageRunner(StageKind.BATCH_WORKER, 8, new Doubling(), tracing).run(batch("1", "oops", "3"), traces,
				EventChannel.DISCARD);
		assertThat(opened).as("one call for the batch that reaches forward").containsExactly("s 7 2 [a, c]");
		opened.clear();
		stageRunner(StageKind.BATCH_WORKER, 8, new Doubling(), tracing).run(batch("1", "3"), null, EventChannel.DISCARD);
		assertThat(opened).isEmpty();
	}

	private StageRunner stageRunner(StageKind kind, int maxBatchSize, Object bean, ForwardTracing tracing) {
		StageDefinition stage = new StageDefinition("s", "s", bean.getClass(), 0, 1, maxBatchSize, Duration.ZERO,
				Duration.ofSeconds(1), kind, Integer.class, Integer.class, List.of(), List.of());
		return new StageRunner(stage, bean, this.codec, InputValidator.NONE, 7, tracing);
	}

	private StageRunner runner(StageKind kind, int maxBatchSize, Object bean) {
		return stageRunner(kind, maxBatchSize, bean, ForwardTracing.NONE);
	}

	private static Frame batch(String... bodies) {
		List<Frame.Item> items = new ArrayList<>();
		for (int i = 0; i < bodies.length; i++) {
			items.add(new Frame.Item(i + 1, JSON_IN_OUT, bodies[i].getBytes(StandardCharsets.UTF_8)));
		}
		return new Frame(0, items);
	}

	private static String text(Frame.Item item) {
		return new String(item.payload(), StandardCharsets.UTF_8);
	}

	static final class Doubling implements BatchWorker<Integer, Integer> {

		final List<List<Integer>> batches = new ArrayList<>();

		List<Integer> examples = List.of();

		@Override
		public List<Integer> forward(List<Integer> batch) {
			this.batches.add(List.copyOf(batch));
			return batch.stream().map((value) -> value * 2).toList();
		}

		@Override
		public List<Integer> examples() {
			return this.examples;
		}

	}

}
