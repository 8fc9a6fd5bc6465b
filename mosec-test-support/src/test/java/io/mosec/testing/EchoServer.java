package io.mosec.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A server for {@link ServerJvmTests}: answers 200 after a delay, and starts a child process
 * that sleeps, as a worker would.
 */
public final class EchoServer {

	private EchoServer() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		if (args.length > 1 && args[1].equals("fail")) {
			System.out.println("cannot start: told to fail");
			System.exit(2);
		}
		new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), Sleeper.class.getName()).inheritIO().start();
		TimeUnit.MILLISECONDS.sleep(300);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
	}

	/** A child that would outlive its parent if nobody ended it. */
	public static final class Sleeper {

		private Sleeper() {
		}

		public static void main(String[] args) throws IOException, InterruptedException {
			Thread.sleep(120_000);
		}

	}

}
