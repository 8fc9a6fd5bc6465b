package io.mosec.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.mosec.spring.stage.PythonStage;
import io.mosec.spring.stage.StageSettings;
import io.mosec.spring.worker.launch.PythonRuntime;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Maps {@link MosecProperties} onto the settings the domain packages take, and rejects a value
 * that is wrong by itself with Boot's {@link InvalidConfigurationPropertyValueException}, whose
 * failure report says where the value came from. Rules that need the stage beans (a batch size
 * for a stage that cannot batch, say) are the resolver's.
 */
final class MosecPropertiesAdapter {

	private final MosecProperties properties;

	MosecPropertiesAdapter(MosecProperties properties) {
		this.properties = properties;
	}

	/**
	 * The stage settings as a JVM worker process needs them: it never runs a Python stage, so
	 * their classes are taken as named, not asked about.
	 */
	StageSettings stageSettings() {
		return stageSettings((name, target) -> new PythonStage(target, null, false));
	}

	/**
	 * The stage settings of the server.
	 * @param python describes each Python stage's class (its name, its target)
	 */
	StageSettings stageSettings(BiFunction<String, String, PythonStage> python) {
		return stageSettings(python, null);
	}

	/**
	 * The stage settings of a server that serves a Mosec server script: the script's stages and
	 * routes, where {@code mosec.stages.<name>.*} and {@code mosec.routes} do not say otherwise.
	 * @param python describes each Python stage's class (its name, its target)
	 * @param script what the script declares, or {@code null}
	 */
	StageSettings stageSettings(BiFunction<String, String, PythonStage> python, PythonRuntime.Script script) {
		Map<String, StageSettings.Stage> stages = new LinkedHashMap<>();
		if (script != null) {
			for (PythonRuntime.Script.Stage declared : script.stages()) {
				MosecProperties.Stage configured = this.properties.getStages().get(declared.name());
				stages.put(declared.name(), fromScript(declared, configured, python));
			}
		}
		this.properties.getStages().forEach((name, stage) -> {
			if (stages.containsKey(name)) {
				return;
			}
			String prefix = StageSettings.STAGES_PREFIX + name + ".";
			atLeastOne(stage.getNum(), prefix + "num", "set it to the number of workers of stage '" + name + "'");
			atLeastOne(stage.getMaxBatchSize(), prefix + "max-batch-size", "1 means no batching");
			if (stage.getMaxWaitTime() != null) {
				zeroOrPositive(stage.getMaxWaitTime(), prefix + "max-wait-time");
			}
			if (stage.getTimeout() != null) {
				positive(stage.getTimeout(), prefix + "timeout");
			}
			stages.put(name, new StageSettings.Stage(stage.getNum(), stage.getMaxBatchSize(), stage.getMaxWaitTime(),
					stage.getTimeout(), stage.getEnv(), stage.getJvmOptions(),
					(stage.getPython() != null) ? python.apply(name, stage.getPython()) : null));
		});
		List<StageSettings.Route> routes = this.properties.getRoutes()
			.stream()
			.map((route) -> new StageSettings.Route(route.getPath(), route.getStages()))
			.toList();
		if (routes.isEmpty() && script != null) {
			routes = script.routes().entrySet().stream().map((route) -> new StageSettings.Route(route.getKey(), route.getValue())).toList();
		}
		return new StageSettings(timeout(), zeroOrPositive(this.properties.getDefaults().getMaxWaitTime(),
				"mosec.defaults.max-wait-time"), this.properties.getEndpoint(), stages, routes);
	}

	/** A script's stage, with what {@code mosec.stages.<name>.*} overrides; zero wait or timeout: the default. */
	private static StageSettings.Stage fromScript(PythonRuntime.Script.Stage declared, MosecProperties.Stage configured,
			BiFunction<String, String, PythonStage> python) {
		MosecProperties.Stage overrides = (configured != null) ? configured : new MosecProperties.Stage();
		String target = (overrides.getPython() != null) ? overrides.getPython() : declared.target();
		return new StageSettings.Stage((overrides.getNum() != null) ? overrides.getNum() : declared.num(),
				(overrides.getMaxBatchSize() != null) ? overrides.getMaxBatchSize() : declared.maxBatchSize(),
				(overrides.getMaxWaitTime() != null) ? overrides.getMaxWaitTime()
						: declared.maxWaitTime().isZero() ? null : declared.maxWaitTime(),
				(overrides.getTimeout() != null) ? overrides.getTimeout()
						: declared.timeout().isZero() ? null : declared.timeout(),
				!overrides.getEnv().isEmpty() ? overrides.getEnv() : declared.env(), List.of(),
				python.apply(declared.name(), target));
	}

	Duration timeout() {
		return positive(this.properties.getTimeout(), "mosec.timeout");
	}

	int capacity() {
		int capacity = this.properties.getCapacity();
		if (capacity < 1) {
			throw new InvalidConfigurationPropertyValueException("mosec.capacity", capacity,
					"must be at least 1: set it to the most requests you accept in flight.");
		}
		return capacity;
	}

	int maxForwardedMeters() {
		int limit = this.properties.getMetrics().getMaxForwardedMeters();
		atLeastOne(limit, "mosec.metrics.max-forwarded-meters", "set it to the most meters one worker of a stage may publish");
		return limit;
	}

	long maxRequestSize() {
		long bytes = (this.properties.getMaxRequestSize() != null) ? this.properties.getMaxRequestSize().toBytes() : 0;
		if (bytes < 1) {
			throw new InvalidConfigurationPropertyValueException("mosec.max-request-size",
					this.properties.getMaxRequestSize(), "must be positive, for example 10MB.");
		}
		return bytes;
	}

	private static void atLeastOne(Integer value, String property, String hint) {
		if (value != null && value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "must be at least 1: " + hint + ".");
		}
	}

	private static Duration zeroOrPositive(Duration duration, String property) {
		if (duration == null || duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, duration,
					"must be zero or a positive duration, for example 10ms, or 0 for no wait.");
		}
		return duration;
	}

	private static Duration positive(Duration duration, String property) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, duration,
					"must be a positive duration, for example 10ms.");
		}
		return duration;
	}

}
