package io.mosec.spring.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Component;

/**
 * Marks a {@link Worker}, {@link BatchWorker} or {@link StreamWorker} bean as a stage of the
 * inference pipeline.
 * <p>
 * Every value can be overridden by {@code mosec.stages.<name>.*} properties. Stage beans are
 * lazy: the server only reads their type, and the bean is created where its worker runs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface MosecStage {

	/**
	 * Stage name, used in properties, routes and metrics. Defaults to the bean name.
	 */
	String name() default "";

	/**
	 * Position of the stage in the default route (ascending).
	 */
	int order() default 0;

	/**
	 * Number of workers serving this stage.
	 */
	int num() default 1;

	/**
	 * Largest batch handed to one {@code forward}; 1 means no batching and no waiting.
	 */
	int maxBatchSize() default 1;

	/**
	 * Longest time a batch waits for more tasks after its first one, as a duration string such
	 * as {@code "10ms"}; {@code "0"} hands a free worker what is queued at once (batches still
	 * grow while every worker is busy). Empty means {@code mosec.defaults.max-wait-time}.
	 */
	String maxWaitTime() default "";

	/**
	 * Longest time one {@code forward} may take, as a duration string such as {@code "2s"}.
	 * Empty means {@code mosec.timeout}.
	 */
	String timeout() default "";

}
