package io.mosec.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, as an operator runs it: started from a command with its output
 * in a log, waited for until a probe says it is ready (never for a fixed time), and ended with
 * every process it started, whatever the caller did. For this project's tests and benchmarks.
 * <p>
 * Written by hand rather than with Awaitility: the benchmarks run outside any test, and the
 * wait must also stop at once when the server exits.
 */
public final class ServerJvm implements AutoCloseable {

	private static final Duration POLL = Duration.ofMillis(20);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Says whether the server is ready; an exception means not yet. */
	@FunctionalInterface
	public interface Probe {

		/**
		 * Whether the server is ready.
		 * @return true once it is
		 * @throws Exception if it cannot tell yet (not listening, say)
		 */
		boolean isReady() throws Exception;

	}

	private final String name;

	private final Process process;

	private final Path log;

	private final Set<ProcessHandle> seen = new LinkedHashSet<>();

	private ServerJvm(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a server and waits until it is ready.
	 * @param name what to call it in errors
	 * @param command its command line
	 * @param log where its output goes
	 * @param limit how long it may take
	 * @param ready says when it is ready
	 * @return the ready server
	 * @throws IOException if it cannot start
	 * @throws IllegalStateException if it exits, or is not ready in time (it is killed then)
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static ServerJvm start(String name, List<String> command, Path log, Duration limit, Probe ready)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServerJvm server = new ServerJvm(name, process, log);
		try {
			server.awaitReady(limit, ready);
			return server;
		}
		catch (InterruptedException | RuntimeException | Error ex) {
			server.close();
			throw ex;
		}
	}

	private void awaitReady(Duration limit, Probe ready) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (true) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
						+ " during startup" + logTail());
			}
			try {
				if (ready.isReady()) {
					descendants();
					return;
				}
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Exception ex) {
				// Not ready yet.
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(this.name + " was not ready within " + limit + logTail());
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	/**
	 * A probe that posts a JSON body and is satisfied by a 200.
	 * @param port the server's port on 127.0.0.1
	 * @param path the route
	 * @param json the body
	 * @return the probe
	 */
	public static Probe answers(int port, String path, String json) {
		return () -> post(port, path, json, Duration.ofSeconds(10)).statusCode() == 200;
	}

	/**
	 * Posts a JSON body to a server on 127.0.0.1.
	 * @param port the port
	 * @param path the route
	 * @param json the body
	 * @param timeout how long to wait for the answer
	 * @return the answer
	 * @throws IOException if the server cannot be reached
	 * @throws InterruptedException if interrupted
	 */
	public static HttpResponse<String> post(int port, String path, String json, Duration timeout)
			throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.timeout(timeout)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A port nobody listens on now.
	 * @return the port
	 * @throws IOException if none can be found
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	public Process process() {
		return this.process;
	}

	public Path log() {
		return this.log;
	}

	/**
	 * The processes the server runs now (its workers, say); each is also ended by {@link #close()}.
	 * @return the descendants, children first
	 */
	public synchronized List<ProcessHandle> descendants() {
		List<ProcessHandle> now = this.process.descendants().toList();
		this.seen.addAll(now);
		return now;
	}

	/**
	 * Stops the server as an orchestrator does (SIGTERM) and waits for it to exit.
	 * @param limit how long to wait
	 * @return whether it exited in time
	 * @throws InterruptedException if interrupted
	 */
	public boolean terminate(Duration limit) throws InterruptedException {
		descendants();
		this.process.destroy();
		return this.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Kills the server and every process it was seen to run, alive or orphaned. */
	@Override
	public synchronized void close() {
		List<ProcessHandle> all = new ArrayList<>(this.process.descendants().toList());
		all.addAll(this.seen);
		all.forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return "; the last lines of " + this.log + ":\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "; see " + this.log;
		}
	}

}
