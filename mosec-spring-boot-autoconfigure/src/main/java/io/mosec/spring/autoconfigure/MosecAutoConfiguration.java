package io.mosec.spring.autoconfigure;

import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.stage.LazyStageBeans;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.stage.StageResolver;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.worker.MosecLifecycle;
import io.mosec.spring.worker.ThreadWorkerPool;
import io.mosec.spring.worker.WorkerPoolFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * The Mosec runtime of the server: stages, routes, the batching pipeline, the workers and their
 * lifecycle.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@EnableConfigurationProperties(MosecProperties.class)
public final class MosecAutoConfiguration {

	@Bean
	static LazyStageBeans mosecLazyStageBeans() {
		return new LazyStageBeans();
	}

	@Bean
	@ConditionalOnMissingBean
	StageRegistry mosecStageRegistry(ConfigurableListableBeanFactory beanFactory, MosecProperties properties) {
		return new StageResolver(beanFactory, properties).resolve();
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec mosecPayloadCodec() {
		return new PayloadCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerPoolFactory mosecWorkerPoolFactory(ConfigurableListableBeanFactory beanFactory, PayloadCodec codec) {
		return (stage) -> new ThreadWorkerPool(stage, () -> beanFactory.getBean(stage.beanName()), codec);
	}

	@Bean
	@ConditionalOnMissingBean
	InFlightTable mosecInFlightTable(MosecProperties properties) {
		return new InFlightTable(properties.getCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	Pipeline mosecPipeline(StageRegistry registry, WorkerPoolFactory workerPoolFactory) {
		return new Pipeline(registry.servedStages().stream().map(workerPoolFactory::create).toList());
	}

	@Bean
	@ConditionalOnMissingBean
	MosecLifecycle mosecLifecycle(Pipeline pipeline, InFlightTable inFlight, MosecProperties properties) {
		return new MosecLifecycle(pipeline, inFlight, properties.getTimeout());
	}

}
