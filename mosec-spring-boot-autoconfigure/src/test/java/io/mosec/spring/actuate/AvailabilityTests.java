package io.mosec.spring.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.MosecLifecycle;
import io.mosec.spring.worker.ProcessStages;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows warm-up and shutdown.
 */
class AvailabilityTests {

	@Test
	void acceptsTrafficOnlyAfterWarmUpAndRefusesItBeforeTheWorkersStop() {
		List<String> readiness = new CopyOnWriteArrayList<>();
		ApplicationListener<AvailabilityChangeEvent<?>> recorder = (event) -> {
			if (event.getState() instanceof ReadinessState state) {
				ApplicationContext context = (ApplicationContext) event.getSource();
				int ready = context.getBean(Pipeline.class).pools().get(0).status().ready();
				boolean running = context.getBean(MosecLifecycle.class).isRunning();
				readiness.add(state + " ready=" + ready + " running=" + running);
			}
		};
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ProcessStages.Application.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "mosec.worker.mode=thread", "mosec.routes[0].path=/echo",
					"mosec.routes[0].stages=echo")
			.listeners(recorder)
			.run();
		assertThat(readiness).containsExactly("ACCEPTING_TRAFFIC ready=1 running=true");
		context.close();
		assertThat(readiness).containsExactly("ACCEPTING_TRAFFIC ready=1 running=true",
				"REFUSING_TRAFFIC ready=1 running=true");
	}

}
