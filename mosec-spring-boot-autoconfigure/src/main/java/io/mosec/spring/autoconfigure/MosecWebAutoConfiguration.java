package io.mosec.spring.autoconfigure;

import java.util.List;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.stage.StageRegistry;
import io.mosec.spring.task.InFlightTable;
import io.mosec.spring.web.InferenceHandler;
import io.mosec.spring.web.ProblemCustomizer;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The inference routes, on WebFlux.
 */
@AutoConfiguration(after = MosecAutoConfiguration.class)
@ConditionalOnBean(Pipeline.class)
public final class MosecWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InferenceHandler mosecInferenceHandler(Pipeline pipeline, InFlightTable inFlight, MosecProperties properties,
			ObjectProvider<PipelineListener> listeners, ObjectProvider<ProblemCustomizer> problems) {
		MosecPropertiesAdapter settings = new MosecPropertiesAdapter(properties);
		List<ProblemCustomizer> customizers = problems.orderedStream().toList();
		return new InferenceHandler(pipeline, inFlight, settings.timeout(), settings.maxRequestSize(),
				PipelineListeners.of(listeners),
				(problem, request) -> customizers.forEach((customizer) -> customizer.customize(problem, request)));
	}

	@Bean
	@ConditionalOnMissingBean(name = "mosecRouterFunction")
	RouterFunction<ServerResponse> mosecRouterFunction(InferenceHandler handler, StageRegistry registry) {
		RouterFunction<ServerResponse> routes = handler.routerFunction(registry.routes());
		// Without stages there is nothing to route; a function that matches nothing keeps WebFlux happy.
		return (routes != null) ? routes : (request) -> Mono.empty();
	}

}
