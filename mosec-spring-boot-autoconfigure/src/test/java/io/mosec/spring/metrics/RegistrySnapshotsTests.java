package io.mosec.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.metrics.MeterSnapshot.Kind;
import io.mosec.spring.metrics.MeterSnapshot.Sample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrySnapshotsTests {

	final PayloadCodec codec = new PayloadCodec();

	final MeterRegistry worker = new SimpleMeterRegistry();

	@Test
	void sendsEachKindWithItsNameTagsAndValues() {
		this.worker.counter("stage.items", "model", "small").increment(3);
		this.worker.gauge("stage.loaded", new AtomicInteger(4));
		this.worker.timer("stage.forward").record(Duration.ofMillis(250));
		this.worker.summary("stage.tokens").record(12);
		this.worker.more().longTaskTimer("stage.long");
		List<Sample> samples = decode(new RegistrySnapshots(this.worker, this.codec, 10).take()).meters();
		assertThat(samples).extracting(Sample::name, Sample::kind)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("stage.items", Kind.COUNTER),
					org.assertj.core.groups.Tuple.tuple("stage.loaded", Kind.GAUGE),
					org.assertj.core.groups.Tuple.tuple("stage.forward", Kind.TIMER),
					org.assertj.core.groups.Tuple.tuple("stage.tokens", Kind.SUMMARY));
		assertThat(samples).filteredOn((sample) -> sample.name().equals("stage.items"))
			.singleElement()
			.satisfies((sample) -> {
				assertThat(sample.tags()).containsExactly("model", "small");
				assertThat(sample.value()).isEqualTo(3);
			});
		assertThat(samples).filteredOn((sample) -> sample.name().equals("stage.forward"))
			.singleElement()
			.satisfies((sample) -> {
				assertThat(sample.count()).isEqualTo(1);
				assertThat(sample.value()).isEqualTo(0.25);
				assertThat(sample.max()).isEqualTo(0.25);
			});
	}

	@Test
	void sendsNothingWhileNothingChanges() {
		RegistrySnapshots snapshots = new RegistrySnapshots(this.worker, this.codec, 10);
		this.worker.counter("stage.items").increment();
		assertThat(snapshots.take()).isNotNull();
		assertThat(snapshots.take()).isNull();
		this.worker.counter("stage.items").increment();
		assertThat(snapshots.take()).isNotNull();
	}

	@Test
	void holdsAtMostTheLimitOfMeters() {
		for (int i = 0; i < 100; i++) {
			this.worker.counter("stage.by.user", "user", "u" + i).increment();
		}
		assertThat(decode(new RegistrySnapshots(this.worker, this.codec, 10).take()).meters()).hasSize(10);
	}

	@Test
	void leavesOutAGaugeWhoseObjectIsGone() {
		this.worker.gauge("stage.weak", new AtomicInteger(1), AtomicInteger::get);
		System.gc();
		this.worker.gauge("stage.nan", Double.NaN);
		this.worker.counter("stage.items").increment();
		assertThat(decode(new RegistrySnapshots(this.worker, this.codec, 10).take()).meters())
			.extracting(Sample::name)
			.doesNotContain("stage.nan")
			.contains("stage.items");
	}

	private MeterSnapshot decode(byte[] bytes) {
		return (MeterSnapshot) this.codec.decode(bytes, PayloadFormat.MSGPACK, MeterSnapshot.class);
	}

}
