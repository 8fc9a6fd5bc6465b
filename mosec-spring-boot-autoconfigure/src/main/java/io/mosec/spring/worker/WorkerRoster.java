package io.mosec.spring.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker slots of a process pool: the active ones, which take batches and are restarted when
 * they die, and the retiring ones, which finish the batch they hold and exit. Growing adds slots,
 * shrinking and rolling retire them; a retired worker leaves only when it holds no batch, so no
 * request fails for it.
 */
final class WorkerRoster {

	private final String stage;

	private final IdleWorkers<WorkerConnection> idle;

	private final List<WorkerSlot> active = new CopyOnWriteArrayList<>();

	private final Set<WorkerSlot> retiring = ConcurrentHashMap.newKeySet();

	WorkerRoster(String stage, int num, IdleWorkers<WorkerConnection> idle) {
		this.stage = stage;
		this.idle = idle;
		for (int id = 1; id <= num; id++) {
			add(id);
		}
	}

	/** The slots that take batches, in id order (a replacement after the slot it replaces). */
	List<WorkerSlot> active() {
		return this.active;
	}

	/** Every slot with a process to stop, retiring ones included. */
	List<WorkerSlot> all() {
		List<WorkerSlot> all = new ArrayList<>(this.active);
		all.addAll(this.retiring);
		return all;
	}

	/**
	 * Adds an active slot.
	 * @param id its worker id
	 * @return the slot, with no process yet
	 */
	WorkerSlot add(int id) {
		WorkerSlot slot = new WorkerSlot(this.stage, id, WorkerSupervisor.FIRST_RESTART_DELAY);
		this.active.add(slot);
		return slot;
	}

	/**
	 * The active slot whose process has this pid.
	 * @param pid the process id a worker said hello with
	 * @return the slot, or {@code null}
	 */
	WorkerSlot byPid(long pid) {
		for (WorkerSlot slot : this.active) {
			Process process = slot.process;
			if (process != null && process.pid() == pid) {
				return slot;
			}
		}
		return null;
	}

	/**
	 * Takes a slot out: an idle worker is told to exit (its socket closes), a busy one after its
	 * batch ({@link #offer}), one still starting is stopped at once.
	 * @param slot the slot
	 */
	void retire(WorkerSlot slot) {
		slot.retired = true;
		this.retiring.add(slot);
		this.active.remove(slot);
		WorkerConnection connection = slot.connection;
		if (connection != null) {
			if (this.idle.remove(connection)) {
				connection.close();
			}
		}
		else {
			Process process = slot.process;
			if (process != null) {
				process.destroyForcibly();
			}
		}
	}

	/**
	 * Offers a worker for its next batch (its first once it has said hello, or after a batch that
	 * ended well), unless it retired.
	 * @param connection the connection
	 */
	void offer(WorkerConnection connection) {
		WorkerSlot slot = connection.slot();
		if (slot.retired) {
			connection.close();
			return;
		}
		this.idle.release(connection);
		// Retired while it was being released: whichever of the two takes it back out closes it.
		if (slot.retired && this.idle.remove(connection)) {
			connection.close();
		}
	}

	/**
	 * A slot's process exited.
	 * @param slot the slot
	 * @return whether it is to be restarted
	 */
	boolean exited(WorkerSlot slot) {
		if (slot.retired) {
			this.retiring.remove(slot);
			return false;
		}
		return true;
	}

}
