package io.mosec.spring.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages and routes of the application, resolved and validated once at startup.
 */
public final class StageRegistry {

	private final Map<String, StageDefinition> stages;

	private final List<RouteDefinition> routes;

	public StageRegistry(List<StageDefinition> stages, List<RouteDefinition> routes) {
		Map<String, StageDefinition> byName = new LinkedHashMap<>();
		stages.forEach((stage) -> byName.put(stage.name(), stage));
		this.stages = Map.copyOf(byName);
		this.routes = List.copyOf(routes);
	}

	/**
	 * The stages that some route uses, each once, in route order.
	 * @return the stages that need workers
	 */
	public List<StageDefinition> servedStages() {
		Map<String, StageDefinition> served = new LinkedHashMap<>();
		for (RouteDefinition route : this.routes) {
			route.stages().forEach((stage) -> served.putIfAbsent(stage.name(), stage));
		}
		return new ArrayList<>(served.values());
	}

	/**
	 * Looks a stage up by name.
	 * @param name the stage name
	 * @return the stage, or {@code null}
	 */
	public StageDefinition stage(String name) {
		return this.stages.get(name);
	}

	/**
	 * The routes, in configuration order.
	 * @return the routes
	 */
	public List<RouteDefinition> routes() {
		return this.routes;
	}

}
