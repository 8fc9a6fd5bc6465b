package io.mosec.spring.autoconfigure;

import io.mosec.spring.actuate.MosecHealthIndicator;
import io.mosec.spring.pipeline.Pipeline;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mosec} health contributor.
 */
@AutoConfiguration(after = MosecAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Pipeline.class)
@ConditionalOnEnabledHealthIndicator("mosec")
public final class MosecHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mosecHealthIndicator")
	MosecHealthIndicator mosecHealthIndicator(Pipeline pipeline) {
		return new MosecHealthIndicator(pipeline);
	}

}
