package io.mosec.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import io.mosec.spring.stage.PythonStage;
import io.mosec.spring.stage.StageSettings;

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
		Map<String, StageSettings.Stage> stages = new LinkedHashMap<>();
		this.properties.getStages().forEach((name, stage) -> {
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
		return new StageSettings(timeout(), zeroOrPositive(this.properties.getDefaults().getMaxWaitTime(),
				"mosec.defaults.max-wait-time"), this.properties.getEndpoint(), stages,
				this.properties.getRoutes()
					.stream()
					.map((route) -> new StageSettings.Route(route.getPath(), route.getStages()))
					.toList());
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
