package io.mosec.bench.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The ceiling for any front end here: a bare Spring WebFlux functional route that echoes the
 * body, with no Actuator, no metrics and no Mosec.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
		WebFluxAutoConfiguration.class, CodecsAutoConfiguration.class })
public class BareEchoApplication {

	@Bean
	RouterFunction<ServerResponse> echo() {
		return RouterFunctions.route()
			.POST("/echo", (request) -> request.bodyToMono(byte[].class)
				.flatMap((body) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body)))
			.build();
	}

	public static void main(String[] args) {
		SpringApplication.run(BareEchoApplication.class, args);
	}

}
