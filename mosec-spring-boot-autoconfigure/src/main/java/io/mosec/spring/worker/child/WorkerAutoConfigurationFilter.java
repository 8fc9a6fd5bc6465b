package io.mosec.spring.worker.child;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out, in a worker process, the auto-configurations of what only the server does: serve
 * HTTP, management endpoints, health and API docs, and export metrics for scraping (nothing
 * scrapes a worker, and its JVM metrics would carry the server's tags). Their beans would be
 * lazy anyway, but parsing and evaluating them is about a fifth of a trivial worker's start.
 * Everything a stage bean may need (its own beans, Jackson, validation, a {@code MeterRegistry},
 * an {@code ObservationRegistry}, HTTP clients) stays.
 */
public final class WorkerAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	/** Package prefixes and class names of auto-configurations a worker does without. */
	private static final List<String> SERVER_ONLY = List.of("org.springframework.boot.actuate.autoconfigure.",
			"org.springframework.boot.health.autoconfigure.", "org.springframework.boot.webflux.autoconfigure.",
			"org.springframework.boot.webmvc.autoconfigure.", "org.springframework.boot.tomcat.autoconfigure.",
			"org.springframework.boot.jetty.autoconfigure.", "org.springdoc.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration",
			"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.jvm.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.system.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.logging.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.startup.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.task.",
			"org.springframework.boot.micrometer.metrics.autoconfigure.ssl.");

	private boolean worker;

	@Override
	public void setEnvironment(Environment environment) {
		this.worker = "worker".equals(environment.getProperty(WorkerMain.ROLE_PROPERTY));
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String name = autoConfigurationClasses[i];
			matches[i] = !this.worker || name == null || SERVER_ONLY.stream().noneMatch(name::startsWith);
		}
		return matches;
	}

}
