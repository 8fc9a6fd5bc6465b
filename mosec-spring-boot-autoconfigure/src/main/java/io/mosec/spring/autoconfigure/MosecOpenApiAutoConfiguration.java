package io.mosec.spring.autoconfigure;

import io.mosec.spring.openapi.RouteDocumentation;
import io.mosec.spring.stage.StageRegistry;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Mosec routes in springdoc's OpenAPI document, when the application has springdoc.
 */
@AutoConfiguration(after = MosecAutoConfiguration.class)
@ConditionalOnClass(OpenApiCustomizer.class)
@ConditionalOnBean(StageRegistry.class)
public final class MosecOpenApiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RouteDocumentation mosecRouteDocumentation(StageRegistry registry) {
		return new RouteDocumentation(registry);
	}

}
