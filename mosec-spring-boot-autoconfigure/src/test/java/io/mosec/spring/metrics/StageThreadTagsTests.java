package io.mosec.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mosec.spring.support.WorkerLogFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class StageThreadTagsTests {

	final MeterRegistry registry = new SimpleMeterRegistry();

	StageThreadTagsTests() {
		this.registry.config().meterFilter(new StageThreadTags("mosec_service"));
	}

	@AfterEach
	void clearThreadFields() {
		MDC.clear();
	}

	@Test
	void tagsWhatIsRegisteredOnAStagesThread() {
		WorkerLogFields.setter("embed", 1).run();
		this.registry.counter("stage.items", "model", "small").increment();
		assertThat(this.registry.get("stage.items").tags("model", "small", "stage", "embed", "worker", "1").counter()
			.count()).isEqualTo(1);
	}

	@Test
	void leavesMetersOfOtherThreadsMosecsFamiliesAndMetersThatNameAStageAlone() {
		this.registry.counter("server.items").increment();
		WorkerLogFields.setter("embed", 1).run();
		this.registry.counter("mosec_service_throughput", "code", "200").increment();
		this.registry.counter("stage.named", "stage", "mine").increment();
		assertThat(this.registry.get("server.items").counter().getId().getTags()).isEmpty();
		assertThat(this.registry.get("mosec_service_throughput").counter().getId().getTag("stage")).isNull();
		assertThat(this.registry.get("stage.named").counter().getId().getTag("worker")).isNull();
	}

}
