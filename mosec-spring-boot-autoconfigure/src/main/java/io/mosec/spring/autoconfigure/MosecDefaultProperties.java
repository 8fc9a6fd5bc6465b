package io.mosec.spring.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults an inference service wants from Actuator, below every user setting: only health,
 * info and prometheus exposed, and the liveness and readiness probes on for Kubernetes.
 */
class MosecDefaultProperties implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "mosecDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE_NAME,
					Map.of("management.endpoints.web.exposure.include", "health,info,prometheus",
							"management.endpoint.health.probes.enabled", "true")));
	}

}
