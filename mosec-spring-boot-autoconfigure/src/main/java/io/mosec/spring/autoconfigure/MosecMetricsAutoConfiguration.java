package io.mosec.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mosec.spring.actuate.MosecMetrics;
import io.mosec.spring.actuate.MosecStageMetrics;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.metrics.ForwardedDistributions;
import io.mosec.spring.metrics.ForwardedMeters;
import io.mosec.spring.metrics.StageThreadTags;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.worker.WorkerMeters;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Mosec's metric families on Micrometer, scraped at {@code /actuator/prometheus}, and the meters
 * that stages record, from worker processes or from the stages' threads.
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

	/** Publishes what stages record in worker processes. */
	@Bean
	@ConditionalOnMissingBean
	WorkerMeters mosecWorkerMeters(ObjectProvider<MeterRegistry> registry, PayloadCodec codec,
			ForwardedDistributions distributions, MosecProperties properties) {
		MeterRegistry server = registry.getIfAvailable();
		return (server != null) ? new ForwardedMeters(server, codec, distributions,
				new MosecPropertiesAdapter(properties).maxForwardedMeters()) : WorkerMeters.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	ForwardedDistributions mosecForwardedDistributions() {
		return new ForwardedDistributions();
	}

	/** Tags what a stage records in thread mode as a worker process's meters are tagged. */
	@Bean
	@ConditionalOnMissingBean
	StageThreadTags mosecStageThreadTags(MosecProperties properties) {
		return new StageThreadTags(properties.getNamespace());
	}

}
