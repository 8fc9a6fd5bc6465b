package io.mosec.spring.stream;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link ServingStages} service with every stage in worker processes, shared by the test
 * classes that use it (one context, one set of workers).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = ServingStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=10s", "mosec.routes[0].path=/left",
				"mosec.routes[0].stages=tag", "mosec.routes[1].path=/right", "mosec.routes[1].stages=tag,describe",
				"mosec.routes[2].path=/count", "mosec.routes[2].stages=count", "mosec.routes[3].path=/greet",
				"mosec.routes[3].stages=greet" })
public @interface ServingTest {

}
