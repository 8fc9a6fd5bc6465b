package io.mosec.spring.stage;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mosec.spring.api.BatchWorker;
import io.mosec.spring.api.MosecStage;
import io.mosec.spring.api.StreamWorker;
import io.mosec.spring.api.Worker;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;
import org.springframework.util.StringUtils;

/**
 * Finds the {@link MosecStage} beans by type, without creating them, merges their annotation
 * with {@code mosec.*} properties, builds the routes, and rejects a wrong configuration with a
 * message that names the property and the fix.
 */
public final class StageResolver {

	private final ConfigurableListableBeanFactory beanFactory;

	private final StageSettings settings;

	public StageResolver(ConfigurableListableBeanFactory beanFactory, StageSettings settings) {
		this.beanFactory = beanFactory;
		this.settings = settings;
	}

	/**
	 * Resolves every stage and route.
	 * @return the registry
	 * @throws MosecConfigurationException if the configuration is wrong
	 */
	public StageRegistry resolve() {
		Map<String, StageDefinition> stages = discoverStages();
		for (String name : this.settings.stages().keySet()) {
			if (!stages.containsKey(name)) {
				throw new MosecConfigurationException(StageSettings.STAGES_PREFIX + name + " configures no known stage; known stages: "
						+ stages.keySet() + ". Fix the name, or annotate the bean with @MosecStage.");
			}
		}
		return new StageRegistry(new ArrayList<>(stages.values()), resolveRoutes(stages));
	}

	private Map<String, StageDefinition> discoverStages() {
		Map<String, StageDefinition> stages = new LinkedHashMap<>();
		int declared = 0;
		for (Map.Entry<String, StageSettings.Stage> configured : this.settings.stages().entrySet()) {
			if (configured.getValue().python() != null) {
				stages.put(configured.getKey(),
						PythonStages.resolve(configured.getKey(), configured.getValue(), this.settings, declared++));
			}
		}
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(MosecStage.class)) {
			StageDefinition stage = resolveStage(beanName);
			StageDefinition other = stages.putIfAbsent(stage.name(), stage);
			if (other != null && other.python() != null) {
				throw new MosecConfigurationException(StageSettings.STAGES_PREFIX + stage.name() + ".python makes '"
						+ stage.name() + "' a Python stage, but @MosecStage bean '" + beanName + "' has that name too: "
						+ "give one of them another name.");
			}
			if (other != null) {
				throw new MosecConfigurationException("Two @MosecStage beans are named '" + stage.name() + "' (beans '"
						+ other.beanName() + "' and '" + beanName + "'): give one of them another "
						+ "@MosecStage(name = ...).");
			}
		}
		return stages;
	}

	private StageDefinition resolveStage(String beanName) {
		Class<?> beanClass = this.beanFactory.getType(beanName, false);
		MosecStage annotation = this.beanFactory.findAnnotationOnBean(beanName, MosecStage.class, false);
		String name = StringUtils.hasText(annotation.name()) ? annotation.name() : beanName;
		ResolvableType type = this.beanFactory.getMergedBeanDefinition(beanName).getResolvableType();
		if (type.resolve() == null || type.resolve() == Object.class) {
			type = ResolvableType.forClass(beanClass);
		}
		Map<StageKind, ResolvableType> contracts = new LinkedHashMap<>();
		contracts.put(StageKind.WORKER, type.as(Worker.class));
		contracts.put(StageKind.BATCH_WORKER, type.as(BatchWorker.class));
		contracts.put(StageKind.STREAM_WORKER, type.as(StreamWorker.class));
		contracts.values().removeIf((contract) -> contract == ResolvableType.NONE);
		if (contracts.size() != 1) {
			throw new MosecConfigurationException("@MosecStage bean '" + beanName + "' (" + beanClass.getName()
					+ ") implements " + (contracts.isEmpty() ? "none" : contracts.size()) + " of Worker, BatchWorker "
					+ "and StreamWorker: implement exactly one of them.");
		}
		StageKind kind = contracts.keySet().iterator().next();
		ResolvableType contract = contracts.get(kind);
		boolean batching = kind == StageKind.BATCH_WORKER;

		StageSettings.Stage configured = this.settings.stages().getOrDefault(name, StageSettings.Stage.NONE);
		String prefix = StageSettings.STAGES_PREFIX + name + ".";
		String annotated = " of " + beanClass.getSimpleName();
		int num = (configured.num() != null) ? configured.num() : annotation.num();
		if (num < 1) {
			// A property below 1 never gets here: the auto-configuration has rejected it.
			throw new MosecConfigurationException("@MosecStage(num)" + annotated + " must be at least 1 (was " + num
					+ "): set it to the number of workers of stage '" + name + "'.");
		}
		int maxBatchSize = (configured.maxBatchSize() != null) ? configured.maxBatchSize() : annotation.maxBatchSize();
		String batchSource = (configured.maxBatchSize() != null) ? prefix + "max-batch-size"
				: "@MosecStage(maxBatchSize)" + annotated;
		if (maxBatchSize < 1) {
			throw new MosecConfigurationException(batchSource + " must be at least 1 (was " + maxBatchSize
					+ "): 1 means no batching.");
		}
		if (!batching && maxBatchSize > 1) {
			throw new MosecConfigurationException(batchSource + " is " + maxBatchSize + ", but stage '" + name
					+ ((kind == StageKind.STREAM_WORKER)
							? "' implements StreamWorker, which streams one input at a time: set max-batch-size to 1, "
									+ "and num to the streams you want served at once."
							: "' implements Worker, which takes one input at a time: implement BatchWorker to receive "
									+ "batches, or set max-batch-size to 1."));
		}
		Duration maxWaitTime = (configured.maxWaitTime() != null) ? configured.maxWaitTime()
				: parseDuration(annotation.maxWaitTime(), "@MosecStage(maxWaitTime)" + annotated, this.settings.maxWaitTime());
		if (maxWaitTime.isNegative()) {
			throw new MosecConfigurationException("@MosecStage(maxWaitTime)" + annotated + " must be zero or a "
					+ "positive duration (was " + maxWaitTime + "), for example 10ms, or 0 for no wait.");
		}
		Duration timeout = (configured.timeout() != null) ? configured.timeout()
				: parseDuration(annotation.timeout(), "@MosecStage(timeout)" + annotated, this.settings.timeout());
		if (timeout.isZero() || timeout.isNegative()) {
			throw new MosecConfigurationException("@MosecStage(timeout)" + annotated + " must be a positive duration "
					+ "(was " + timeout + "), for example 10ms.");
		}
		List<Map<String, String>> env = configured.env();
		if (!env.isEmpty() && env.size() != num) {
			throw new MosecConfigurationException(prefix + "env has " + env.size() + " entries but stage '" + name
					+ "' has " + num + " workers: give one map per worker, or none.");
		}
		return new StageDefinition(name, beanName, beanClass, annotation.order(), num, maxBatchSize, maxWaitTime,
				timeout, kind, typeArgument(contract, 0), typeArgument(contract, 1), env,
				configured.jvmOptions());
	}

	private static Type typeArgument(ResolvableType contract, int index) {
		ResolvableType argument = contract.getGeneric(index);
		// A raw Worker decodes to plain maps, lists and scalars, as Jackson does for Object.
		return (argument.resolve() != null) ? argument.getType() : Object.class;
	}

	private static Duration parseDuration(String value, String source, Duration fallback) {
		if (!StringUtils.hasText(value)) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new MosecConfigurationException(source + " is '" + value + "', which is not a duration: write it "
					+ "like \"10ms\" or \"2s\".");
		}
	}

	private List<RouteDefinition> resolveRoutes(Map<String, StageDefinition> stages) {
		if (this.settings.routes().isEmpty()) {
			return defaultRoute(stages);
		}
		List<RouteDefinition> routes = new ArrayList<>();
		Set<String> paths = new HashSet<>();
		List<StageSettings.Route> configured = this.settings.routes();
		for (int i = 0; i < configured.size(); i++) {
			StageSettings.Route route = configured.get(i);
			String property = "mosec.routes[" + i + "]";
			String path = checkPath(route.path(), property + ".path");
			if (!paths.add(path)) {
				throw new MosecConfigurationException(property + ".path '" + path + "' is used by another route: "
						+ "give each route its own path.");
			}
			if (route.stages().isEmpty()) {
				throw new MosecConfigurationException(property + ".stages is empty: list the stages a request on '"
						+ path + "' runs through, ingress first.");
			}
			List<StageDefinition> routeStages = new ArrayList<>();
			for (String stageName : route.stages()) {
				StageDefinition stage = stages.get(stageName);
				if (stage == null) {
					throw new MosecConfigurationException(property + ".stages names unknown stage '" + stageName
							+ "'; known stages: " + stages.keySet() + ". Fix the name, or annotate the bean with "
							+ "@MosecStage.");
				}
				if (routeStages.contains(stage)) {
					throw new MosecConfigurationException(property + ".stages lists stage '" + stageName
							+ "' twice: a route runs each stage once.");
				}
				routeStages.add(stage);
			}
			checkStreamingLast(routeStages, property + ".stages");
			routes.add(new RouteDefinition(path, routeStages));
		}
		return routes;
	}

	private List<RouteDefinition> defaultRoute(Map<String, StageDefinition> stages) {
		if (stages.isEmpty()) {
			return List.of();
		}
		String path = checkPath(this.settings.endpoint(), "mosec.endpoint");
		List<StageDefinition> ordered = new ArrayList<>(stages.values());
		ordered.sort(Comparator.comparingInt(StageDefinition::order));
		for (int i = 1; i < ordered.size(); i++) {
			if (ordered.get(i).order() == ordered.get(i - 1).order()) {
				throw new MosecConfigurationException("Stages '" + ordered.get(i - 1).name() + "' and '"
						+ ordered.get(i).name() + "' both have @MosecStage(order = " + ordered.get(i).order()
						+ "), so the default route cannot order them: give each stage its own order, or configure "
						+ "mosec.routes.");
			}
		}
		checkStreamingLast(ordered, "The default route (by @MosecStage order)");
		return List.of(new RouteDefinition(path, ordered));
	}

	private static void checkStreamingLast(List<StageDefinition> stages, String source) {
		for (int i = 0; i < stages.size() - 1; i++) {
			if (stages.get(i).streaming()) {
				throw new MosecConfigurationException(source + " puts StreamWorker stage '" + stages.get(i).name()
						+ "' before stage '" + stages.get(i + 1).name() + "': a stream is the answer to the client, "
						+ "so a StreamWorker must be the last stage of its route.");
			}
		}
	}

	private static String checkPath(String path, String property) {
		if (!StringUtils.hasText(path) || !path.startsWith("/")) {
			throw new MosecConfigurationException(property + " must be a path starting with '/' (was '" + path
					+ "'), for example /inference.");
		}
		String normalized = (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
		if (normalized.equals("/") || normalized.equals("/actuator") || normalized.startsWith("/actuator/")) {
			throw new MosecConfigurationException(property + " '" + path + "' is reserved (the root and /actuator/** "
					+ "belong to the application and Actuator): choose another path, such as /inference.");
		}
		return normalized;
	}

}
