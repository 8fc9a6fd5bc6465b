package io.mosec.spring.autoconfigure;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.metrics.RegistrySnapshots;
import io.mosec.spring.stage.StageResolver;
import io.mosec.spring.worker.child.ForwardTracing;
import io.mosec.spring.worker.child.InputValidator;
import io.mosec.spring.worker.child.MeterSnapshots;
import io.mosec.spring.worker.child.WorkerMain;
import io.mosec.spring.worker.child.WorkerProcess;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The worker side of a stage, in a worker process the server launched: serves one stage over
 * its socket, and nothing else (no pool, no routes, no web server).
 */
@AutoConfiguration
@ConditionalOnProperty(name = WorkerMain.ROLE_PROPERTY, havingValue = "worker")
@EnableConfigurationProperties(MosecProperties.class)
@Import(MosecValidationConfiguration.class)
public final class MosecWorkerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec mosecPayloadCodec() {
		return new PayloadCodec();
	}

	@Bean
	WorkerProcess mosecWorkerProcess(ConfigurableListableBeanFactory beanFactory, MosecProperties properties,
			PayloadCodec codec, ObjectProvider<InputValidator> validator, ObjectProvider<MeterSnapshots> meters,
			ObjectProvider<ForwardTracing> tracing, Environment environment) {
		return new WorkerProcess(beanFactory, new StageResolver(beanFactory,
				new MosecPropertiesAdapter(properties).stageSettings()).resolve(), codec,
				validator.getIfAvailable(() -> InputValidator.NONE),
				environment.getRequiredProperty(WorkerMain.STAGE_PROPERTY),
				environment.getRequiredProperty(WorkerMain.WORKER_ID_PROPERTY, Integer.class),
				Path.of(environment.getRequiredProperty(WorkerMain.SOCKET_PROPERTY)),
				properties.workerPayloadLimit(),
				environment.getProperty(WorkerMain.TRAINING_PROPERTY, Boolean.class, false),
				meters.getIfAvailable(() -> MeterSnapshots.NONE), tracing.getIfAvailable(() -> ForwardTracing.NONE));
	}

	/** What the stage records, for the server to publish; nothing without Micrometer or a registry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class WorkerMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MeterSnapshots mosecMeterSnapshots(ObjectProvider<MeterRegistry> registry, PayloadCodec codec,
				MosecProperties properties) {
			MeterRegistry worker = registry.getIfAvailable();
			return (worker != null) ? new RegistrySnapshots(worker, codec,
					new MosecPropertiesAdapter(properties).maxForwardedMeters()) : MeterSnapshots.NONE;
		}

	}

	/** The worker context is lazy, but the worker itself must start. */
	@Bean
	static LazyInitializationExcludeFilter mosecWorkerProcessIsEager() {
		return LazyInitializationExcludeFilter.forBeanTypes(WorkerProcess.class);
	}

}
