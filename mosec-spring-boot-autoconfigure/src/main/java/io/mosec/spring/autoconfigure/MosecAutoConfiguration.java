package io.mosec.spring.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.pipeline.MosecLifecycle;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.pipeline.PipelineTracing;
import io.mosec.spring.stage.LazyStageBeans;
import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.stage.StageResolver;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.worker.ProcessWorkerPool;
import io.mosec.spring.worker.StageTimer;
import io.mosec.spring.worker.ThreadWorkerPool;
import io.mosec.spring.worker.WorkerMeters;
import io.mosec.spring.worker.WorkerPoolFactory;
import io.mosec.spring.worker.child.ForwardTracing;
import io.mosec.spring.worker.child.InputValidator;
import io.mosec.spring.worker.child.WorkerMain;
import io.mosec.spring.worker.launch.PythonRuntime;
import io.mosec.spring.worker.launch.SocketDirectory;
import io.mosec.spring.worker.launch.WorkerCache;
import io.mosec.spring.worker.launch.WorkerCommands;
import io.mosec.spring.worker.launch.WorkerLauncher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * The Mosec runtime of the server: stages, routes, the batching pipeline, the workers and their
 * lifecycle. Never in a worker process: a worker starts no pool and no web server.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnProperty(name = WorkerMain.ROLE_PROPERTY, havingValue = "server", matchIfMissing = true)
@EnableConfigurationProperties(MosecProperties.class)
@Import(MosecValidationConfiguration.class)
public final class MosecAutoConfiguration {

	@Bean
	static LazyStageBeans mosecLazyStageBeans() {
		return new LazyStageBeans();
	}

	@Bean
	@ConditionalOnMissingBean
	StageRegistry mosecStageRegistry(ConfigurableListableBeanFactory beanFactory, MosecProperties properties,
			ObjectProvider<PythonRuntime> python) {
		MosecProperties.Python options = properties.getPython();
		PythonRuntime.Script script = (options.getServer() != null)
				? pythonRuntime(python, "The Mosec server script (mosec.python.server)").describe(options.getServer(),
						options.getArgs())
				: null;
		return new StageResolver(beanFactory, new MosecPropertiesAdapter(properties).stageSettings(
				(name, target) -> pythonRuntime(python, "Stage '" + name + "' is a Python stage, which")
					.probe(name, target),
				script)).resolve();
	}

	private static PythonRuntime pythonRuntime(ObjectProvider<PythonRuntime> python, String what) {
		PythonRuntime runtime = python.getIfAvailable();
		if (runtime == null) {
			throw new MosecConfigurationException(what + " runs in worker processes only: remove "
					+ "mosec.worker.mode=thread.");
		}
		return runtime;
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec mosecPayloadCodec() {
		return new PayloadCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	InFlightTable mosecInFlightTable(MosecProperties properties) {
		return new InFlightTable(new MosecPropertiesAdapter(properties).capacity());
	}

	@Bean
	@ConditionalOnMissingBean
	Pipeline mosecPipeline(StageRegistry registry, WorkerPoolFactory workerPoolFactory,
			ObjectProvider<PipelineListener> listeners, ObjectProvider<PipelineTracing> tracing) {
		return new Pipeline(registry.servedStages().stream().map(workerPoolFactory::create).toList(),
				PipelineListeners.of(listeners), tracing.getIfAvailable(() -> PipelineTracing.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	StageTimer mosecStageTimer() {
		return new StageTimer();
	}

	@Bean
	@ConditionalOnMissingBean
	MosecLifecycle mosecLifecycle(Pipeline pipeline, InFlightTable inFlight, MosecProperties properties) {
		return new MosecLifecycle(pipeline, inFlight, new MosecPropertiesAdapter(properties).timeout());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "mosec.worker.mode", havingValue = "thread")
	static class ThreadWorkersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WorkerPoolFactory mosecWorkerPoolFactory(ConfigurableListableBeanFactory beanFactory, PayloadCodec codec,
				ObjectProvider<InputValidator> validator, StageTimer timer, ObjectProvider<ForwardTracing> tracing) {
			ForwardTracing forwardTracing = tracing.getIfAvailable(() -> ForwardTracing.NONE);
			return (stage) -> new ThreadWorkerPool(stage, () -> beanFactory.getBean(stage.beanName()), codec,
					validator.getIfAvailable(() -> InputValidator.NONE), timer, forwardTracing);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "mosec.worker.mode", havingValue = "process", matchIfMissing = true)
	static class ProcessWorkersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SocketDirectory mosecSocketDirectory(MosecProperties properties) {
			return new SocketDirectory(properties.getSocketDir(), Path.of(System.getProperty("java.io.tmpdir")));
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerLauncher mosecWorkerLauncher(ConfigurableListableBeanFactory beanFactory,
				ConfigurableEnvironment environment, ObjectProvider<ApplicationArguments> arguments,
				MosecProperties properties) {
			List<Class<?>> sources = new ArrayList<>();
			for (String name : beanFactory.getBeanNamesForAnnotation(SpringBootConfiguration.class)) {
				Class<?> type = beanFactory.getType(name, false);
				if (type != null) {
					sources.add(ClassUtils.getUserClass(type));
				}
			}
			List<String> forwarded = WorkerArguments.of(environment, arguments.getIfAvailable());
			MosecProperties.Cache cache = properties.getWorker().getCache();
			WorkerCache workerCache = null;
			if (cache.isEnabled()) {
				workerCache = WorkerCache.open((cache.getDir() != null) ? cache.getDir() : WorkerCache.defaultDirectory());
			}
			return WorkerLauncher.forThisJvm(sources, forwarded).withCache(workerCache, cache.isClassDataSharing());
		}

		/** Made only for an application with a Python stage: it copies the mosec Python package. */
		@Bean
		@ConditionalOnMissingBean
		PythonRuntime mosecPythonRuntime(SocketDirectory socketDirectory, MosecProperties properties) {
			return PythonRuntime.extract(properties.getPython().getInterpreter(), socketDirectory.path());
		}

		@Bean
		@ConditionalOnMissingBean
		WorkerPoolFactory mosecWorkerPoolFactory(SocketDirectory socketDirectory, WorkerLauncher launcher,
				MosecProperties properties, StageTimer timer, ObjectProvider<WorkerMeters> meters,
				ObjectProvider<PythonRuntime> python) {
			AtomicInteger index = new AtomicInteger();
			WorkerMeters workerMeters = meters.getIfAvailable(() -> WorkerMeters.NONE);
			return (stage) -> {
				Path socket = socketDirectory.socketFor(index.getAndIncrement(), stage.name());
				WorkerCommands commands = (stage.python() != null) ? python.getObject().commands(stage, socket)
						: WorkerCommands.jvm(stage, launcher, socket);
				return new ProcessWorkerPool(stage, socket, commands, properties.getWorker().getStartupTimeout(),
						properties.getWorker().getShutdownTimeout(), properties.workerPayloadLimit(), timer,
						workerMeters);
			};
		}

	}

}
