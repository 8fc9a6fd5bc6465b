package io.mosec.spring.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.worker.WorkerMeters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's registry (a {@link SimpleMeterRegistry}, as in a worker process) sent through
 * {@link RegistrySnapshots} and published by {@link ForwardedMeters} in a Prometheus registry,
 * as on the server.
 */
class ForwardedMetersTests {

	final PayloadCodec codec = new PayloadCodec();

	final PrometheusMeterRegistry server = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final ForwardedDistributions distributions = new ForwardedDistributions();

	final ForwardedMeters forwarded = new ForwardedMeters(this.server, this.codec, this.distributions, 50);

	@Test
	void publishesACounterTaggedWithTheStageAndTheWorker() {
		MeterRegistry worker = new SimpleMeterRegistry();
		Counter items = Counter.builder("stage.items").tag("model", "small").register(worker);
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 2);
		items.increment(3);
		send(worker, feed);
		items.increment(2);
		send(worker, feed);
		assertThat(this.server.scrape())
			.contains("stage_items_total{model=\"small\",stage=\"embed\",worker=\"2\"} 5.0");
	}

	@Test
	void keepsACounterGoingUpWhenItsWorkerRestarts() {
		MeterRegistry first = new SimpleMeterRegistry();
		WorkerMeters.Feed firstFeed = this.forwarded.connect("embed", 1);
		first.counter("stage.items").increment(7);
		send(first, firstFeed);
		firstFeed.close();
		MeterRegistry replacement = new SimpleMeterRegistry();
		WorkerMeters.Feed replacementFeed = this.forwarded.connect("embed", 1);
		replacement.counter("stage.items").increment(2);
		send(replacement, replacementFeed);
		assertThat(count("stage.items")).isEqualTo(9);
	}

	@Test
	void publishesATimersCountTotalAndMaxAsTheWorkerRecordedThem() {
		MeterRegistry worker = new SimpleMeterRegistry();
		Timer timer = Timer.builder("stage.forward").register(worker);
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 1);
		timer.record(Duration.ofMillis(3));
		timer.record(Duration.ofMillis(30));
		timer.record(Duration.ofMillis(300));
		send(worker, feed);
		Timer published = this.server.get("stage.forward").tags("stage", "embed", "worker", "1").timer();
		assertThat(published.count()).isEqualTo(3);
		assertThat(published.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(333, org.assertj.core.data.Offset.offset(0.001));
		assertThat(published.max(TimeUnit.MILLISECONDS)).isCloseTo(300, org.assertj.core.data.Offset.offset(0.001));
		timer.record(Duration.ofMillis(7));
		send(worker, feed);
		assertThat(published.count()).isEqualTo(4);
		assertThat(published.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(340, org.assertj.core.data.Offset.offset(0.001));
	}

	@Test
	void publishesNoHistogramThatTheWorkerDidNotMeasureEvenWhenTheServerAsksForThemEverywhere() {
		PrometheusMeterRegistry server = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		server.config().meterFilter(new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
			}
		});
		server.config().meterFilter(this.distributions);
		ForwardedMeters forwarded = new ForwardedMeters(server, this.codec, this.distributions, 50);
		MeterRegistry worker = new SimpleMeterRegistry();
		Timer.builder("stage.forward").register(worker).record(Duration.ofMillis(3));
		DistributionSummary.builder("stage.tokens").register(worker).record(12);
		send(worker, forwarded.connect("embed", 1));
		server.timer("server.own").record(Duration.ofMillis(3));
		String scrape = server.scrape();
		assertThat(scrape).contains("stage_forward_seconds_count{stage=\"embed\",worker=\"1\"} 1",
				"stage_tokens_sum{stage=\"embed\",worker=\"1\"} 12.0", "server_own_seconds_bucket");
		assertThat(scrape).doesNotContain("stage_forward_seconds_bucket", "stage_tokens_bucket");
	}

	@Test
	void publishesASummarysCountTotalAndMax() {
		MeterRegistry worker = new SimpleMeterRegistry();
		DistributionSummary tokens = DistributionSummary.builder("stage.tokens").baseUnit("tokens").register(worker);
		tokens.record(10);
		tokens.record(20);
		tokens.record(60);
		send(worker, this.forwarded.connect("embed", 1));
		DistributionSummary published = this.server.get("stage.tokens").summary();
		assertThat(published.count()).isEqualTo(3);
		assertThat(published.totalAmount()).isEqualTo(90);
		assertThat(published.max()).isEqualTo(60);
	}

	@Test
	void showsAGaugeWhileItsWorkerIsConnectedAndDropsItAfter() {
		MeterRegistry worker = new SimpleMeterRegistry();
		AtomicInteger loaded = worker.gauge("stage.loaded", new AtomicInteger(4));
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 1);
		send(worker, feed);
		assertThat(this.server.get("stage.loaded").gauge().value()).isEqualTo(4);
		loaded.set(6);
		send(worker, feed);
		assertThat(this.server.get("stage.loaded").gauge().value()).isEqualTo(6);
		feed.close();
		assertThat(this.server.find("stage.loaded").gauge()).isNull();
	}

	@Test
	void keepsTheGaugeThatTheReplacementSetWhenTheWorkerItReplacesLeaves() {
		MeterRegistry old = new SimpleMeterRegistry();
		old.gauge("stage.loaded", new AtomicInteger(1));
		MeterRegistry replacement = new SimpleMeterRegistry();
		replacement.gauge("stage.loaded", new AtomicInteger(2));
		WorkerMeters.Feed oldFeed = this.forwarded.connect("embed", 1);
		WorkerMeters.Feed replacementFeed = this.forwarded.connect("embed", 1);
		send(old, oldFeed);
		send(replacement, replacementFeed);
		oldFeed.close();
		Gauge gauge = this.server.find("stage.loaded").gauge();
		assertThat(gauge).isNotNull();
		assertThat(gauge.value()).isEqualTo(2);
	}

	@Test
	void publishesAtMostTheLimitOfMetersForAWorkerWhateverItRecords() {
		MeterRegistry worker = new SimpleMeterRegistry();
		for (int i = 0; i < 5000; i++) {
			worker.counter("stage.by.user", "user", "u" + i).increment();
		}
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 1);
		RegistrySnapshots snapshots = new RegistrySnapshots(worker, this.codec, 10_000);
		feed.accept(snapshots.take());
		for (int i = 5000; i < 6000; i++) {
			worker.counter("stage.by.user", "user", "u" + i).increment();
		}
		feed.accept(snapshots.take());
		// Restarts do not add to it: the bound is kept for the worker id.
		feed.close();
		this.forwarded.connect("embed", 1).accept(snapshots.take());
		assertThat(this.server.find("stage.by.user").counters()).hasSize(50);
	}

	@Test
	void ignoresASnapshotThatCannotBeRead() {
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 1);
		feed.accept("not msgpack at all".getBytes(StandardCharsets.UTF_8));
		MeterRegistry worker = new SimpleMeterRegistry();
		worker.counter("stage.items").increment();
		send(worker, feed);
		assertThat(count("stage.items")).isEqualTo(1);
	}

	@Test
	void recordsAHugeIntervalOverSeveralSnapshotsWithoutLosingAny() {
		MeterRegistry worker = new SimpleMeterRegistry();
		DistributionSummary sizes = worker.summary("stage.sizes");
		int recorded = ForwardedMeters.RECORDS_PER_SNAPSHOT * 2 + 10;
		for (int i = 0; i < recorded; i++) {
			sizes.record(2);
		}
		WorkerMeters.Feed feed = this.forwarded.connect("embed", 1);
		RegistrySnapshots snapshots = new RegistrySnapshots(worker, this.codec, 50);
		byte[] snapshot = snapshots.take();
		feed.accept(snapshot);
		DistributionSummary published = this.server.get("stage.sizes").summary();
		assertThat(published.count()).isEqualTo(ForwardedMeters.RECORDS_PER_SNAPSHOT);
		feed.accept(snapshot);
		feed.accept(snapshot);
		assertThat(published.count()).isEqualTo(recorded);
		assertThat(published.totalAmount()).isEqualTo(2.0 * recorded);
	}

	@Test
	void leavesOutAMeterWhoseNameTheServerUsesForAnotherType() {
		this.server.timer("stage.items", "stage", "embed", "worker", "1");
		MeterRegistry worker = new SimpleMeterRegistry();
		worker.counter("stage.items").increment();
		worker.counter("stage.other").increment();
		send(worker, this.forwarded.connect("embed", 1));
		assertThat(count("stage.other")).isEqualTo(1);
	}

	private double count(String name) {
		return this.server.get(name).counter().count();
	}

	private void send(MeterRegistry worker, WorkerMeters.Feed feed) {
		feed.accept(new RegistrySnapshots(worker, this.codec, 50).take());
	}

}
