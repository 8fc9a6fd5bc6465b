package io.mosec.spring.worker;

/**
 * What a stage's workers are doing, for health and metrics.
 *
 * @param desired the configured number of workers
 * @param live workers whose process (or thread) is running
 * @param ready workers that have warmed up and take batches
 * @param restarts how often a worker was restarted since startup
 */
public record PoolStatus(int desired, int live, int ready, long restarts) {

}
