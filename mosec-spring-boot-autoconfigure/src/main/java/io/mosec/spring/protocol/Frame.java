package io.mosec.spring.protocol;

import java.util.List;

/**
 * One message between the server and a worker: a batch request, or its reply.
 * <p>
 * The layout on the wire is Mosec's: {@code u16 flag, u16 n, n x (u32 id, u16 state, u32 length,
 * bytes)}, big-endian.
 *
 * @param flag for a request 0; for a reply one of the {@link Flags} status values for the batch
 * @param items the tasks of the batch, in order
 */
public record Frame(int flag, List<Item> items) {

	public Frame {
		items = List.copyOf(items);
	}

	/**
	 * One task of a batch.
	 * @param id the task id, unique among the tasks in flight
	 * @param state in a request the {@link Flags} state bits (ingress, egress, formats); in a
	 * reply the task's own status flag
	 * @param payload the task's bytes: input, output, or the error message in UTF-8
	 */
	public record Item(int id, int state, byte[] payload) {

	}

}
