package io.mosec.spring.worker.launch;

import java.nio.file.Path;

import io.mosec.spring.stage.StageDefinition;

/**
 * How one stage's worker processes are started: a JVM that re-launches the application, or a
 * Python interpreter that runs the stage's class. The pool supervises both alike.
 */
public interface WorkerCommands {

	/**
	 * The command of one worker.
	 * @param workerId the worker, 1 to num
	 * @return its process builder, output and errors together
	 */
	ProcessBuilder processBuilder(int workerId);

	/** Every worker of the stage is ready: a JVM stage trains its class data archive then. */
	default void allReady() {
	}

	/** The stage stops: nothing more to start. */
	default void close() {
	}

	/**
	 * A JVM stage's workers: re-launches of this application, mapping the stage's class data
	 * archive once it is trained.
	 * @param stage the stage
	 * @param launcher builds the commands
	 * @param socket the stage's socket
	 * @return the commands
	 */
	static WorkerCommands jvm(StageDefinition stage, WorkerLauncher launcher, Path socket) {
		ClassDataArchive classData = launcher.classDataArchive(stage);
		ArchiveTrainer trainer = new ArchiveTrainer(stage, launcher, classData, socket);
		return new WorkerCommands() {

			@Override
			public ProcessBuilder processBuilder(int workerId) {
				return launcher.processBuilder(stage, workerId, socket, classData.optionsForNextWorker());
			}

			@Override
			public void allReady() {
				trainer.startIfNeeded();
			}

			@Override
			public void close() {
				trainer.close();
			}

		};
	}

}
