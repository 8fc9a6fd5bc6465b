package io.mosec.spring.worker;

import io.mosec.spring.protocol.Frame;

/**
 * A worker's reply to a batch.
 *
 * @param workerId the worker that answered, 1 to num
 * @param frame the reply
 * @param forwardNanos how long the worker took, from hand-over to reply
 */
public record WorkerReply(int workerId, Frame frame, long forwardNanos) {

}
