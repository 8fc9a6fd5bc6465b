package io.mosec.spring.stage;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stage as it runs: its annotation values overridden by {@code mosec.stages.<name>.*},
 * resolved once at startup.
 *
 * @param name stage name (properties, routes, metrics)
 * @param beanName the bean that implements it
 * @param beanClass the bean's class (never instantiated by the server in process mode)
 * @param order position in the default route
 * @param num number of workers
 * @param maxBatchSize largest batch; 1 means no batching
 * @param maxWaitTime longest wait for a batch to fill after its first task
 * @param timeout longest time one {@code forward} may take
 * @param kind the contract the bean implements
 * @param inputType the generic input type
 * @param outputType the generic output type
 * @param env environment variables per worker (empty, or one map per worker)
 * @param jvmOptions extra JVM options for the stage's worker processes
 * @param python the Python class of a Python stage, {@code null} for a bean stage
 */
public record StageDefinition(String name, String beanName, Class<?> beanClass, int order, int num, int maxBatchSize,
		Duration maxWaitTime, Duration timeout, StageKind kind, Type inputType, Type outputType,
		List<Map<String, String>> env, List<String> jvmOptions, PythonStage python) {

	public StageDefinition {
		env = List.copyOf(env);
		jvmOptions = List.copyOf(jvmOptions);
	}

	/**
	 * A bean stage.
	 * @param name stage name
	 * @param beanName the bean that implements it
	 * @param beanClass the bean's class
	 * @param order position in the default route
	 * @param num number of workers
	 * @param maxBatchSize largest batch
	 * @param maxWaitTime longest wait for a batch to fill
	 * @param timeout longest time one {@code forward} may take
	 * @param kind the contract the bean implements
	 * @param inputType the generic input type
	 * @param outputType the generic output type
	 * @param env environment variables per worker
	 * @param jvmOptions extra JVM options for the stage's worker processes
	 */
	public StageDefinition(String name, String beanName, Class<?> beanClass, int order, int num, int maxBatchSize,
			Duration maxWaitTime, Duration timeout, StageKind kind, Type inputType, Type outputType,
			List<Map<String, String>> env, List<String> jvmOptions) {
		this(name, beanName, beanClass, order, num, maxBatchSize, maxWaitTime, timeout, kind, inputType, outputType,
				env, jvmOptions, null);
	}

	/**
	 * Whether the bean answers with a stream of events ({@code StreamWorker}).
	 * @return true for a stream worker
	 */
	public boolean streaming() {
		return this.kind == StageKind.STREAM_WORKER;
	}

	/**
	 * Whether the stage takes the raw request body ({@code byte[]} input).
	 * @return true for raw input
	 */
	public boolean rawInput() {
		return this.inputType == byte[].class;
	}

	/**
	 * Whether the stage answers with raw bytes ({@code byte[]} output).
	 * @return true for raw output
	 */
	public boolean rawOutput() {
		return this.outputType == byte[].class;
	}

}
