package io.mosec.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small two-stage inference service: a preprocessing stage that tokenises text, and a batched
 * stage that turns tokens into a fixed-size vector.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
