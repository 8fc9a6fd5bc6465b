package io.mosec.spring.worker;

import io.mosec.spring.stage.StageDefinition;

/**
 * Creates the {@link WorkerPool} of a stage, for the configured worker mode.
 */
@FunctionalInterface
public interface WorkerPoolFactory {

	/**
	 * Creates the pool of a stage; its workers start with {@link WorkerPool#start()}.
	 * @param stage the stage
	 * @return the pool
	 */
	WorkerPool create(StageDefinition stage);

}
