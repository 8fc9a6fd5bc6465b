package io.mosec.bench.naive;

import java.util.List;
import java.util.Map;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What a user would write without us: langchain4j's in-process all-MiniLM-L6-v2 (quantized),
 * called once per request behind a plain WebFlux endpoint.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
		WebFluxAutoConfiguration.class, CodecsAutoConfiguration.class })
public class NaiveEmbeddingApplication {

	private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

	@Bean
	RouterFunction<ServerResponse> embeddings() {
		return RouterFunctions.route()
			.POST("/v1/embeddings", (request) -> request.bodyToMono(Map.class)
				.flatMap((body) -> Mono.fromCallable(() -> this.model.embed((String) body.get("input")).content().vector())
					.subscribeOn(Schedulers.boundedElastic()))
				.flatMap((vector) -> ServerResponse.ok()
					.bodyValue(Map.of("object", "list", "data", List.of(Map.of("object", "embedding", "index", 0,
							"embedding", vector))))))
			.build();
	}

	public static void main(String[] args) {
		SpringApplication.run(NaiveEmbeddingApplication.class, args);
	}

}
