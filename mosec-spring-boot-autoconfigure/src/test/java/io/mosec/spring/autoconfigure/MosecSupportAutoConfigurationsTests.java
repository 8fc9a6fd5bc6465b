package io.mosec.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.mosec.spring.actuate.MosecEndpoint;
import io.mosec.spring.actuate.MosecHealthIndicator;
import io.mosec.spring.actuate.MosecMetrics;
import io.mosec.spring.actuate.MosecStageMetrics;
import io.mosec.spring.metrics.ForwardedMeters;
import io.mosec.spring.metrics.StageThreadTags;
import io.mosec.spring.openapi.RouteDocumentation;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.PipelineTracing;
import io.mosec.spring.worker.WorkerMeters;
import io.mosec.spring.worker.child.ForwardTracing;
import io.mosec.spring.worker.child.WorkerMain;
import io.mosec.spring.worker.child.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configurations around the runtime (health, metrics, API docs, the worker side): each
 * applies with what it needs, and backs off without it, as Boot's own do.
 */
class MosecSupportAutoConfigurationsTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MosecAutoConfiguration.class, MosecHealthAutoConfiguration.class,
				MosecMetricsAutoConfiguration.class, MosecOpenApiAutoConfiguration.class,
				MosecWorkerAutoConfiguration.class, MosecEndpointAutoConfiguration.class,
				MosecTracingAutoConfiguration.class))
		.withUserConfiguration(MosecAutoConfigurationTests.TwoStages.class)
		.withPropertyValues("mosec.worker.mode=thread");

	@Test
	void reportsHealthMetricsAndApiDocsOfAServer() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(MosecHealthIndicator.class)
			.hasSingleBean(MosecMetrics.class)
			.hasSingleBean(MosecStageMetrics.class)
			.hasSingleBean(RouteDocumentation.class)
			.doesNotHaveBean(WorkerProcess.class));
	}

	@Test
	void offersTheManagementEndpointOnlyWhereItIsExposed() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MosecEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,mosec")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MosecEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=mosec")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MosecEndpoint.class));
	}

	@Test
	void leavesOutAHealthIndicatorThatIsDisabled() {
		this.runner.withPropertyValues("management.health.mosec.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MosecHealthIndicator.class)
				.hasSingleBean(MosecMetrics.class));
	}

	@Test
	void leavesOutHealthWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MosecHealthIndicator.class));
	}

	@Test
	void leavesOutMetricsWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MosecMetrics.class)
				.doesNotHaveBean(MosecStageMetrics.class)
				.hasSingleBean(Pipeline.class));
	}

	@Test
	void publishesWhatStagesRecordWhereTheServerHasAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(StageThreadTags.class)
			.getBean(WorkerMeters.class).isSameAs(WorkerMeters.NONE));
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasNotFailed().getBean(WorkerMeters.class).isInstanceOf(ForwardedMeters.class));
	}

	@Test
	void tracesNothingWithoutATracerAndLeavesTracingOutWithoutMicrometerTracing() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.getBean(PipelineTracing.class).isSameAs(PipelineTracing.NONE));
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).hasNotFailed().getBean(PipelineTracing.class).isSameAs(PipelineTracing.NONE));
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(PipelineTracing.class)
				.doesNotHaveBean(ForwardTracing.class)
				.hasSingleBean(Pipeline.class));
	}

	@Test
	void leavesOutApiDocsWithoutSpringdoc() {
		this.runner.withClassLoader(new FilteredClassLoader(OpenApiCustomizer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RouteDocumentation.class));
	}

	@Test
	void runsNoServerSideInAWorker() {
		// The worker side itself would connect to a socket at start: it has tests of its own.
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MosecAutoConfiguration.class, MosecHealthAutoConfiguration.class,
					MosecMetricsAutoConfiguration.class, MosecOpenApiAutoConfiguration.class))
			.withUserConfiguration(MosecAutoConfigurationTests.TwoStages.class)
			.withPropertyValues(WorkerMain.ROLE_PROPERTY + "=worker")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Pipeline.class)
				.doesNotHaveBean(MosecHealthIndicator.class)
				.doesNotHaveBean(MosecMetrics.class)
				.doesNotHaveBean(RouteDocumentation.class));
	}

}
