package io.mosec.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.Worker;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.protocol.Frame;
import io.mosec.spring.stage.MosecConfigurationException;
import io.mosec.spring.stage.StageDefinition;
import io.mosec.spring.stage.StageKind;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.worker.BatchEvents;
import io.mosec.spring.pipeline.MosecLifecycle;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.spring.worker.WorkerPool;
import io.mosec.spring.worker.WorkerPoolFactory;
import io.mosec.spring.worker.WorkerReply;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration: when it applies, what a user can replace, and how a wrong
 * configuration fails.
 */
class MosecAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MosecAutoConfiguration.class, MosecWebAutoConfiguration.class))
		.withPropertyValues("mosec.worker.mode=thread");

	@Test
	void runsTheStagesOfAReactiveWebApplication() {
		this.runner.withUserConfiguration(TwoStages.class).run((context) -> {
			assertThat(context).hasSingleBean(MosecLifecycle.class).hasBean("mosecRouterFunction");
			StageRegistry registry = context.getBean(StageRegistry.class);
			assertThat(registry.routes()).singleElement().satisfies((route) -> {
				assertThat(route.path()).isEqualTo("/inference");
				assertThat(route.stages()).extracting(StageDefinition::name).containsExactly("prepare", "infer");
			});
			assertThat(context.getBean(MosecLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void keepsServingWhenTheContextIsPausedAndResumed() {
		this.runner.withUserConfiguration(TwoStages.class).run((context) -> {
			// Spring's test context cache pauses the contexts it is not using; our stop is a shutdown.
			context.getSourceApplicationContext().pause();
			assertThat(context.getBean(MosecLifecycle.class).isRunning()).isTrue();
			assertThat(context.getBean(io.mosec.spring.task.InFlightTable.class).admission())
				.isEqualTo(io.mosec.spring.task.InFlightTable.Admission.ADMITTED);
			context.getSourceApplicationContext().restart();
			assertThat(context.getBean(MosecLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void backsOffInAnApplicationThatIsNotAReactiveWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MosecAutoConfiguration.class, MosecWebAutoConfiguration.class))
			.withUserConfiguration(TwoStages.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MosecLifecycle.class)
				.doesNotHaveBean("mosecRouterFunction"));
	}

	@Test
	void backsOffWithoutWebFlux() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MosecLifecycle.class)
				.doesNotHaveBean(StageRegistry.class));
	}

	@Test
	void usesTheUsersOwnBeansInsteadOfItsDefaults() {
		this.runner.withUserConfiguration(TwoStages.class, UserBeans.class).run((context) -> {
			assertThat(context).getBean(PayloadCodec.class).isSameAs(UserBeans.CODEC);
			assertThat(context).getBean(WorkerPoolFactory.class).isInstanceOf(FakePoolFactory.class);
		});
	}

	@Test
	void neverCreatesAStageBeanItDoesNotRunItself() {
		Counted.created.set(0);
		this.runner.withUserConfiguration(CountedStage.class, UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			String beanName = context.getBeanFactory().getBeanNamesForType(Counted.class, true, false)[0];
			assertThat(context.getBeanFactory().getBeanDefinition(beanName).isLazyInit()).isTrue();
			assertThat(Counted.created).hasValue(0);
		});
	}

	@Test
	void letsPropertiesOverrideTheAnnotation() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.num=3", "mosec.stages.infer.max-batch-size=16",
					"mosec.stages.infer.max-wait-time=25ms", "mosec.stages.infer.timeout=7s",
					"mosec.defaults.max-wait-time=3ms", "mosec.timeout=9s")
			.run((context) -> {
				StageRegistry registry = context.getBean(StageRegistry.class);
				StageDefinition infer = registry.stage("infer");
				assertThat(infer.num()).isEqualTo(3);
				assertThat(infer.maxBatchSize()).isEqualTo(16);
				assertThat(infer.maxWaitTime()).isEqualTo(Duration.ofMillis(25));
				assertThat(infer.timeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(infer.kind()).isEqualTo(StageKind.BATCH_WORKER);
				assertThat(infer.inputType()).isEqualTo(String.class);
				StageDefinition prepare = registry.stage("prepare");
				assertThat(prepare.maxWaitTime()).isEqualTo(Duration.ofMillis(3));
				assertThat(prepare.timeout()).isEqualTo(Duration.ofSeconds(9));
			});
	}

	@Test
	void acceptsAZeroWaitAndRejectsANegativeOne() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.max-wait-time=0")
			.run((context) -> assertThat(context.getBean(StageRegistry.class).stage("infer").maxWaitTime())
				.isEqualTo(Duration.ZERO));
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.max-wait-time=-1ms")
			.run(rejectsProperty("mosec.stages.infer.max-wait-time", "PT-0.001S", "must be zero or a positive duration"));
	}

	@Test
	void rejectsAStageWithoutWorkers() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.num=0")
			.run(rejectsProperty("mosec.stages.infer.num", "0",
					"must be at least 1: set it to the number of workers of stage 'infer'."));
	}

	@Test
	void rejectsAZeroCapacityAndANegativeTimeoutNamingTheProperty() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.capacity=0")
			.run(rejectsProperty("mosec.capacity", "0", "must be at least 1"));
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.timeout=-1s")
			.run(rejectsProperty("mosec.timeout", "PT-1S", "must be a positive duration"));
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.max-batch-size=0")
			.run(rejectsProperty("mosec.stages.infer.max-batch-size", "0", "must be at least 1: 1 means no batching."));
	}

	@Test
	void rejectsAnAnnotationWithoutWorkersNamingTheAnnotation() {
		this.runner.withUserConfiguration(NoWorkers.class)
			.run(failsWith("@MosecStage(num) of NoWorkersStage must be at least 1 (was 0)"));
	}

	@Test
	void rejectsARouteNamingAnUnknownStage() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.routes[0].path=/embed", "mosec.routes[0].stages=prepare,inferr")
			.run(failsWith("mosec.routes[0].stages names unknown stage 'inferr'; known stages: [prepare, infer]"));
	}

	@Test
	void rejectsARouteUnderActuator() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.routes[0].path=/actuator/infer", "mosec.routes[0].stages=infer")
			.run(failsWith("mosec.routes[0].path '/actuator/infer' is reserved"));
	}

	@Test
	void rejectsARouteAtTheRoot() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.endpoint=/")
			.run(failsWith("mosec.endpoint '/' is reserved"));
	}

	@Test
	void rejectsTwoStagesWithOneName() {
		this.runner.withUserConfiguration(DuplicateNames.class)
			.run(failsWith("Two @MosecStage beans are named 'same'"));
	}

	@Test
	void rejectsABatchSizeForAWorkerThatTakesOneInputAtATime() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.prepare.max-batch-size=8")
			.run(failsWith("mosec.stages.prepare.max-batch-size is 8, but stage 'prepare' implements Worker, which "
					+ "takes one input at a time: implement BatchWorker to receive batches, or set max-batch-size to 1."));
	}

	@Test
	void rejectsSettingsForAStageThatDoesNotExist() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infre.num=2")
			.run(failsWith("mosec.stages.infre configures no known stage"));
	}

	@Test
	void rejectsAnEnvListThatDoesNotMatchTheWorkers() {
		this.runner.withUserConfiguration(TwoStages.class)
			.withPropertyValues("mosec.stages.infer.num=2", "mosec.stages.infer.env[0].CUDA_VISIBLE_DEVICES=0")
			.run(failsWith("mosec.stages.infer.env has 1 entries but stage 'infer' has 2 workers"));
	}

	@Test
	void rejectsStagesTheDefaultRouteCannotOrder() {
		this.runner.withUserConfiguration(SameOrder.class)
			.run(failsWith("both have @MosecStage(order = 1)"));
	}

	/** Boot's failure analyzer prints where such a value came from (a file and line, say). */
	private static ContextConsumer<AssertableReactiveWebApplicationContext> rejectsProperty(String name, String value,
			String reason) {
		return (context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
				assertThat(ex.getName()).isEqualTo(name);
				assertThat(ex.getValue()).hasToString(value);
				assertThat(ex.getReason()).startsWith(reason);
			});
	}

	private static ContextConsumer<AssertableReactiveWebApplicationContext> failsWith(String message) {
		return (context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOf(MosecConfigurationException.class)
			.hasMessageContaining(message);
	}

	@MosecStage(name = "prepare", order = 1)
	static class Prepare implements Worker<String, String> {

		@Override
		public String forward(String input) {
			return input.trim();
		}

	}

	@MosecStage(name = "infer", order = 2, maxBatchSize = 4)
	static class Infer implements BatchWorker<String, Integer> {

		@Override
		public List<Integer> forward(List<String> batch) {
			return batch.stream().map(String::length).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ Prepare.class, Infer.class })
	static class TwoStages {

	}

	@MosecStage(name = "none", num = 0)
	static class NoWorkersStage extends Prepare {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(NoWorkersStage.class)
	static class NoWorkers {

	}

	@MosecStage(name = "same", order = 1)
	static class First extends Prepare {

	}

	@MosecStage(name = "same", order = 2)
	static class Second extends Prepare {

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ First.class, Second.class })
	static class DuplicateNames {

	}

	@MosecStage(name = "a", order = 1)
	static class A extends Prepare {

	}

	@MosecStage(name = "b", order = 1)
	static class B extends Prepare {

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ A.class, B.class })
	static class SameOrder {

	}

	@MosecStage(name = "counted")
	static class Counted implements Worker<String, String> {

		static final AtomicInteger created = new AtomicInteger();

		Counted() {
			created.incrementAndGet();
		}

		@Override
		public String forward(String input) {
			return input;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Counted.class)
	static class CountedStage {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final PayloadCodec CODEC = new PayloadCodec();

		@Bean
		PayloadCodec userCodec() {
			return CODEC;
		}

		@Bean
		WorkerPoolFactory userPoolFactory() {
			return new FakePoolFactory();
		}

	}

	/** Workers that live elsewhere: the server creates no stage bean for them. */
	static class FakePoolFactory implements WorkerPoolFactory {

		@Override
		public WorkerPool create(StageDefinition stage) {
			return new WorkerPool() {

				@Override
				public StageDefinition stage() {
					return stage;
				}

				@Override
				public CompletableFuture<Void> start() {
			return CompletableFuture.completedFuture(null);
		}

				@Override
				public Mono<WorkerReply> dispatch(Frame batch, BatchEvents events) {
					return Mono.just(new WorkerReply(1, batch, 0));
				}

				@Override
				public PoolStatus status() {
					return new PoolStatus(1, 1, 1, 0, List.of());
				}

				@Override
				public void close() {
				}

			};
		}

	}

}
