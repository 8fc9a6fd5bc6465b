package io.mosec.spring.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.stage.RouteDefinition;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission and the drain at shutdown: the capacity holds under concurrent admissions, and a
 * drain waits for the last request in flight, however it ends.
 */
class InFlightTableTests {

	private static final RouteDefinition ROUTE = new RouteDefinition("/s",
			List.of(new StageDefinition("s", "s", Object.class, 0, 1, 1, Duration.ZERO, Duration.ofSeconds(1),
					StageKind.WORKER, Object.class, Object.class, List.of(), List.of())));

	@Test
	void refusesEveryRequestBeforeItOpensAndAfterItCloses() {
		InFlightTable table = new InFlightTable(4);
		assertThat(table.admission()).isEqualTo(InFlightTable.Admission.STARTING);
		assertThat(table.admit(InFlightTableTests::task)).isNull();
		table.open();
		assertThat(table.admit(InFlightTableTests::task)).isNotNull();
		table.close();
		assertThat(table.admission()).isEqualTo(InFlightTable.Admission.SHUTTING_DOWN);
		assertThat(table.admit(InFlightTableTests::task)).isNull();
	}

	@RepeatedTest(100)
	void admitsNoMoreThanItsCapacityWhenRequestsRace() {
		InFlightTable table = new InFlightTable(1);
		table.open();
		AtomicInteger admitted = new AtomicInteger();
		RaceTestUtils.race(() -> admitted.addAndGet((table.admit(InFlightTableTests::task) != null) ? 1 : 0),
				() -> admitted.addAndGet((table.admit(InFlightTableTests::task) != null) ? 1 : 0));
		assertThat(admitted).hasValue(1);
		assertThat(table.size()).isEqualTo(1);
		assertThat(table.admission()).isEqualTo(InFlightTable.Admission.OVER_CAPACITY);
	}

	@Test
	void drainsWhenTheLastRequestInFlightEnds() throws Exception {
		InFlightTable table = new InFlightTable(4);
		table.open();
		Task first = table.admit(InFlightTableTests::task);
		Task second = table.admit(InFlightTableTests::task);
		table.close();
		CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
			try {
				return table.awaitDrained(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		});
		table.remove(first);
		assertThat(drained).isNotDone();
		table.remove(second);
		assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void stopsWaitingForADrainAtItsTimeout() throws InterruptedException {
		InFlightTable table = new InFlightTable(4);
		table.open();
		table.admit(InFlightTableTests::task);
		table.close();
		assertThat(table.awaitDrained(Duration.ofMillis(50))).isFalse();
		assertThat(table.size()).isEqualTo(1);
	}

	@Test
	void countsARequestRemovedTwiceOnce() {
		InFlightTable table = new InFlightTable(4);
		table.open();
		Task task = table.admit(InFlightTableTests::task);
		table.admit(InFlightTableTests::task);
		table.remove(task);
		table.remove(task);
		assertThat(table.size()).isEqualTo(1);
	}

	private static Task task(int id) {
		return new Task(id, ROUTE, new byte[] { '1' }, PayloadFormat.JSON, PayloadFormat.JSON, Runnable::run);
	}

}
