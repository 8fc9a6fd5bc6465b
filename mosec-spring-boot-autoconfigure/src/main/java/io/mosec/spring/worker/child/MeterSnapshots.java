package io.mosec.spring.worker.child;

/**
 * The meters a worker's stage records, encoded for the server: the worker sends a snapshot now
 * and then, the server publishes it tagged with the stage and the worker.
 */
@FunctionalInterface
public interface MeterSnapshots {

	/** A worker without a meter registry: nothing to send. */
	MeterSnapshots NONE = () -> null;

	/**
	 * Takes a snapshot of the meters as they are now.
	 * @return the encoded snapshot, or {@code null} when nothing changed since the last one
	 */
	byte[] take();

}
