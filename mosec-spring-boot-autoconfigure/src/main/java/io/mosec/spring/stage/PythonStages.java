package io.mosec.spring.stage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Python stage's definition, from its {@code mosec.stages.<name>.*} properties alone: there is
 * no bean and no annotation. Its workers take the raw request body at ingress and answer with
 * the body at egress, as Mosec's stages do, in the content type the class declares.
 */
final class PythonStages {

	/** After the bean stages in the default route, in the order they are declared. */
	private static final int FIRST_ORDER = 1_000_000;

	private PythonStages() {
	}

	static StageDefinition resolve(String name, StageSettings.Stage configured, StageSettings settings, int declared) {
		String prefix = StageSettings.STAGES_PREFIX + name + ".";
		PythonStage python = configured.python();
		int num = (configured.num() != null) ? configured.num() : 1;
		int maxBatchSize = (configured.maxBatchSize() != null) ? configured.maxBatchSize() : 1;
		Duration maxWaitTime = (configured.maxWaitTime() != null) ? configured.maxWaitTime() : settings.maxWaitTime();
		Duration timeout = (configured.timeout() != null) ? configured.timeout() : settings.timeout();
		List<Map<String, String>> env = configured.env();
		if (!env.isEmpty() && env.size() != num) {
			throw new MosecConfigurationException(prefix + "env has " + env.size() + " entries but stage '" + name
					+ "' has " + num + " workers: give one map per worker, or none.");
		}
		if (!configured.jvmOptions().isEmpty()) {
			throw new MosecConfigurationException(prefix + "jvm-options is set, but stage '" + name + "' is a Python "
					+ "stage (" + prefix + "python): it runs no JVM. Remove the options.");
		}
		StageKind kind = python.streaming() ? StageKind.STREAM_WORKER
				: (maxBatchSize > 1) ? StageKind.BATCH_WORKER : StageKind.WORKER;
		return new StageDefinition(name, null, null, FIRST_ORDER + declared, num, maxBatchSize, maxWaitTime, timeout,
				kind, byte[].class, byte[].class, env, List.of(), python);
	}

}
