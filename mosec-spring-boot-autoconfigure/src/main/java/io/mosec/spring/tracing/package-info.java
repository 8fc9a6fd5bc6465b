/**
 * Traces across stages and into the workers, on Micrometer Tracing: the server's spans of each
 * traced task's queue wait and {@code forward}, the trace context that crosses the worker
 * socket with the task, and the worker's spans under it.
 */
package io.mosec.spring.tracing;
