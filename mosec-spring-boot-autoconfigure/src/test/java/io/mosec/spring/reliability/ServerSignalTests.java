package io.mosec.spring.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server as an operator stops it, under load: SIGTERM drains, {@code kill -9} leaves no
 * worker behind.
 */
class ServerSignalTests {

	static final Duration DRAIN = ServerProcess.TIMEOUT.plus(ServerProcess.WORKER_SHUTDOWN);

	@TempDir
	Path temp;

	@Test
	void answersEveryRequestItAcceptedWhenTerminatedUnderLoad() throws Exception {
		Path forwarded = this.temp.resolve("forwarded.txt");
		try (ServerProcess server = ServerProcess.start(this.temp, "--test.forward-file=" + forwarded)) {
			terminateUnderLoad(server, forwarded);
		}
	}

	private void terminateUnderLoad(ServerProcess server, Path forwarded) throws Exception {
		Map<Integer, Integer> outcomes = new ConcurrentHashMap<>();
		AtomicInteger ids = new AtomicInteger(1000);
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Thread client = new Thread(() -> {
				while (!stop.get()) {
					int id = ids.getAndIncrement();
					int outcome = RawHttp.post(server.port, "/echo", "{\"value\": " + id + ", \"sleep\": 50}",
							Duration.ofSeconds(30));
					outcomes.put(id, outcome);
					if (outcome == RawHttp.REFUSED) {
						// The server is gone: one refusal per client says so, no need to spin.
						break;
					}
				}
			});
			client.setDaemon(true);
			client.start();
			clients.add(client);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() > 100);

		long signalled = System.nanoTime();
		server.process.destroy();
		assertThat(server.process.waitFor(DRAIN.toSeconds() + 5, TimeUnit.SECONDS))
			.as("server exited within the drain").isTrue();
		long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
		await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.values().stream().anyMatch((o) -> o == RawHttp.REFUSED));
		stop.set(true);
		for (Thread client : clients) {
			client.join(30_000);
		}

		Map<Integer, Long> counts = outcomes.values()
			.stream()
			.collect(Collectors.groupingBy((outcome) -> outcome, java.util.TreeMap::new, Collectors.counting()));
		assertThat(counts.keySet()).isSubsetOf(200, 503, RawHttp.REFUSED, RawHttp.CLOSED);
		Set<Integer> reachedAWorker = new HashSet<>();
		for (String line : Files.readAllLines(forwarded)) {
			int id = Integer.parseInt(line.trim());
			if (id >= 1000) {
				reachedAWorker.add(id);
			}
		}
		Set<Integer> answered = outcomes.entrySet().stream().filter((entry) -> entry.getValue() == 200)
			.map(Map.Entry::getKey).collect(Collectors.toSet());
		// Nothing a worker handled went unanswered, and nothing answered skipped the worker.
		assertThat(answered).isEqualTo(reachedAWorker);
		assertThat(server.workers).noneMatch(ProcessHandle::isAlive);
		Reliability.figure("SIGTERM under load", "8 clients, a connection per request, 50 ms per request",
				"200: " + counts.getOrDefault(200, 0L) + ", 503: " + counts.getOrDefault(503, 0L) + ", refused: "
						+ counts.getOrDefault(RawHttp.REFUSED, 0L) + ", closed unanswered before reaching a worker: "
						+ counts.getOrDefault(RawHttp.CLOSED, 0L) + "; every request a worker handled answered 200; "
						+ "exit " + exitMillis + " ms after the signal (drain limit " + DRAIN.toSeconds() + " s)");
	}

	@Test
	void leavesNoWorkerAliveWhenKilledUnderLoad() throws Exception {
		try (ServerProcess server = ServerProcess.start(this.temp);
				Load load = Load.start(java.net.URI.create("http://127.0.0.1:" + server.port + "/echo"), 8, 0,
				() -> "{\"value\": 1, \"sleep\": 5}", () -> Duration.ofSeconds(10))) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.count(200) > 100);
			// Every descendant: the workers, and a training worker if one is still starting.
			List<ProcessHandle> descendants = server.process.toHandle().descendants().toList();
			assertThat(descendants).containsAll(server.workers);
			long killed = System.nanoTime();
			server.process.toHandle().destroyForcibly();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
				.until(() -> descendants.stream().noneMatch(ProcessHandle::isAlive));
			Reliability.figure("kill -9 of the server under load", "8 clients, 2 workers",
					"every worker gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
							+ " ms after the kill (limit 5 s)");
		}
	}

}
