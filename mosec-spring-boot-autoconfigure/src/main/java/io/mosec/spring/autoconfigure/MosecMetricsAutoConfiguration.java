package io.mosec.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mosec.spring.actuate.MosecMetrics;
import io.mosec.spring.actuate.MosecStageMetrics;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.task.InFlightTable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Mosec's metric families on Micrometer, scraped at {@code /actuator/prometheus}.
 */
@AutoConfiguration(after = MosecAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Pipeline.class)
public final class MosecMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MosecMetrics mosecMetrics(MosecProperties properties) {
		return new MosecMetrics(properties.getNamespace(), properties.getTimeout());
	}

	/** Every registry, the children of a composite too: a binder reaches only the one it is bound to. */
	@Bean
	MeterRegistryCustomizer<MeterRegistry> mosecMeterNames(MosecProperties properties) {
		return (registry) -> MosecMetrics.keepMosecNames(registry, properties.getNamespace());
	}

	@Bean
	@ConditionalOnMissingBean
	MosecStageMetrics mosecStageMetrics(MosecProperties properties, Pipeline pipeline, InFlightTable inFlight) {
		return new MosecStageMetrics(properties.getNamespace(), pipeline, inFlight);
	}

}
