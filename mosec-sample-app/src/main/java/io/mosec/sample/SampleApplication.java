package io.mosec.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * An embedding service for all-MiniLM-L6-v2, compatible with the OpenAI embeddings API: a
 * tokenising stage, then a batched inference stage on ONNX Runtime, each in worker processes.
 */
@SpringBootApplication
@EnableConfigurationProperties(EmbeddingProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
