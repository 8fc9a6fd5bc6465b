package io.mosec.spring.autoconfigure;

import io.mosec.spring.actuate.MosecEndpoint;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.stage.StageRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mosec} management endpoint, where Actuator is and the endpoint is exposed.
 */
@AutoConfiguration(after = MosecAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Pipeline.class)
@ConditionalOnAvailableEndpoint(MosecEndpoint.class)
public final class MosecEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MosecEndpoint mosecEndpoint(Pipeline pipeline, StageRegistry registry) {
		return new MosecEndpoint(pipeline, registry);
	}

}
