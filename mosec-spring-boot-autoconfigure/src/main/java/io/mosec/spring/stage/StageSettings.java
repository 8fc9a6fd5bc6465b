package io.mosec.spring.stage;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the configuration says about stages and routes, beside their annotations: the
 * auto-configuration maps {@code mosec.*} properties onto it, so that this package never reads
 * them itself.
 *
 * @param timeout the default stage timeout
 * @param maxWaitTime the default batch wait
 * @param endpoint the path of the default route
 * @param stages the per-stage overrides, by stage name
 * @param routes the routes; empty for the default route
 */
public record StageSettings(Duration timeout, Duration maxWaitTime, String endpoint, Map<String, Stage> stages,
		List<Route> routes) {

	/** The property that names the stage settings, before the stage name. */
	public static final String STAGES_PREFIX = "mosec.stages.";

	public StageSettings {
		stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
		routes = List.copyOf(routes);
	}

	/**
	 * The overrides of one stage; {@code null} where its annotation decides.
	 *
	 * @param num number of workers
	 * @param maxBatchSize largest batch
	 * @param maxWaitTime longest wait for a batch to fill
	 * @param timeout longest time one {@code forward} may take
	 * @param env environment variables per worker
	 * @param jvmOptions extra JVM options for the stage's worker processes
	 * @param python the Python class that is the stage, as the interpreter described it;
	 * {@code null} for a bean stage
	 */
	public record Stage(Integer num, Integer maxBatchSize, Duration maxWaitTime, Duration timeout,
			List<Map<String, String>> env, List<String> jvmOptions, PythonStage python) {

		/** A stage nothing overrides. */
		public static final Stage NONE = new Stage(null, null, null, null, List.of(), List.of(), null);

		public Stage {
			env = List.copyOf(env);
			jvmOptions = List.copyOf(jvmOptions);
		}

	}

	/**
	 * One configured route.
	 *
	 * @param path the path
	 * @param stages its stages, ingress first
	 */
	public record Route(String path, List<String> stages) {

		public Route {
			stages = List.copyOf(stages);
		}

	}

}
