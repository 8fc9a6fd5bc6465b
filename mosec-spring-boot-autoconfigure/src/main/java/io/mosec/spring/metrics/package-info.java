/**
 * The meters a stage records in its worker processes, brought to the server's registries:
 * snapshots taken in the worker, sent over the worker's socket, published on the server tagged
 * with the stage and the worker; and the same tags for a stage in thread mode.
 */
package io.mosec.spring.metrics;
