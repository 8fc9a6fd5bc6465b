package io.mosec.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for a server the suite started to answer its first request with 200: the port opens
 * once every stage has a ready worker, so that is when it is ready.
 */
public final class FirstAnswer {

	private static final Duration LIMIT = Duration.ofMinutes(3);

	private FirstAnswer() {
	}

	/**
	 * Posts {@code body} to {@code path} every 20 ms until a 200 comes back.
	 * @param http the client
	 * @param name the server's name, for errors
	 * @param process the server's process
	 * @param port its port on 127.0.0.1
	 * @param path the route to post to
	 * @param body a JSON body it answers with 200
	 * @param log its log, for errors
	 * @throws Exception if it exits first, or does not answer within 3 minutes
	 */
	public static void await(HttpClient http, String name, Process process, int port, String path, String body,
			Path log) throws Exception {
		long deadline = System.nanoTime() + LIMIT.toNanos();
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited during startup; see " + log);
			}
			try {
				HttpResponse<Void> response = http.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(10))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(name + " did not answer within " + LIMIT.toMinutes() + " minutes; see "
						+ log);
			}
			Thread.sleep(20);
		}
	}

}
