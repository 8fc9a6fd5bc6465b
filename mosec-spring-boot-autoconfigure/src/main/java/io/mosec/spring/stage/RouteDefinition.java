package io.mosec.spring.stage;

import java.util.List;

/**
 * An HTTP route and the stages a request on it runs through, in order.
 *
 * @param path the request path
 * @param stages the stages, ingress first, egress last
 */
public record RouteDefinition(String path, List<StageDefinition> stages) {

	public RouteDefinition {
		stages = List.copyOf(stages);
	}

	/**
	 * The stage that decodes the request body.
	 * @return the first stage
	 */
	public StageDefinition ingress() {
		return this.stages.get(0);
	}

	/**
	 * The stage whose output is the response.
	 * @return the last stage
	 */
	public StageDefinition egress() {
		return this.stages.get(this.stages.size() - 1);
	}

	/**
	 * Whether the route answers with a stream of events: its last stage is a
	 * {@code StreamWorker}.
	 * @return true for a streaming route
	 */
	public boolean streaming() {
		return egress().streaming();
	}

}
