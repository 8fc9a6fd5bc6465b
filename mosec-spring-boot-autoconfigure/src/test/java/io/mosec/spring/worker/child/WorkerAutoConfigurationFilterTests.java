package io.mosec.spring.worker.child;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which auto-configurations a worker process leaves out.
 */
class WorkerAutoConfigurationFilterTests {

	private static final String[] CANDIDATES = { "org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration",
			"org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
			"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
			"org.springdoc.core.configuration.SpringDocConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
			"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
			"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
			"org.springframework.boot.reactor.netty.autoconfigure.ReactorNettyAutoConfiguration", null };

	@Test
	void aWorkerLeavesOutServingEndpointsHealthApiDocsAndScrapedMetricsButKeepsWhatAStageMayInject() {
		assertThat(filterFor("worker").match(CANDIDATES, null)).containsExactly(false, false, false, false, false, false,
				true, true, true, true, true, true, true);
	}

	@Test
	void theServerKeepsEveryAutoConfiguration() {
		assertThat(filterFor(null).match(CANDIDATES, null)).containsOnly(true);
	}

	private static WorkerAutoConfigurationFilter filterFor(String role) {
		MockEnvironment environment = new MockEnvironment();
		if (role != null) {
			environment.setProperty(WorkerMain.ROLE_PROPERTY, role);
		}
		WorkerAutoConfigurationFilter filter = new WorkerAutoConfigurationFilter();
		filter.setEnvironment(environment);
		return filter;
	}

}
