package io.mosec.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The starter and nothing else: with {@code --mosec.python.server=script.py} it serves a Mosec
 * server script, its stages and routes, in Python worker processes; every {@code mosec.*} and
 * Spring Boot property applies as in any application with the starter.
 */
@SpringBootApplication
public class MosecServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(MosecServerApplication.class, args);
	}

}
