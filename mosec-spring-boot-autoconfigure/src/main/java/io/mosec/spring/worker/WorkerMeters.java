package io.mosec.spring.worker;

/**
 * Where the meters that a worker process records go on the server: each connected worker has a
 * feed that takes its snapshots until the worker's connection ends.
 */
@FunctionalInterface
public interface WorkerMeters {

	/** Drops every snapshot: the server has no meter registry. */
	WorkerMeters NONE = (stage, workerId) -> Feed.NONE;

	/**
	 * Opens the feed of a worker that just connected.
	 * @param stage the stage name
	 * @param workerId the worker id, 1 to num
	 * @return its feed
	 */
	Feed connect(String stage, int workerId);

	/** One connected worker's snapshots, in the order it sent them. */
	interface Feed {

		/** Ignores everything. */
		Feed NONE = new Feed() {

			@Override
			public void accept(byte[] snapshot) {
			}

			@Override
			public void close() {
			}

		};

		/**
		 * Takes a snapshot; called on the connection's reader thread, so it must be quick and must
		 * not throw for a malformed one.
		 * @param snapshot the snapshot as the worker encoded it
		 */
		void accept(byte[] snapshot);

		/** The worker's connection ended: what it reported as current (gauges) is no longer true. */
		void close();

	}

}
