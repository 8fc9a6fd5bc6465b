package io.mosec.spring.worker.child;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's JVM ends when its server does, however early in its start.
 */
class ParentWatchTests {

	@Test
	void endsTheWorkerWithinASecondOfItsServer() throws Exception {
		Process server = new ProcessBuilder("sleep", "60").start();
		Process worker = null;
		try {
			worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					System.getProperty("java.class.path"), StartingWorker.class.getName(),
					"--" + WorkerMain.PARENT_PID_PROPERTY + "=" + server.pid())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			// Still starting, as far as the server can tell: it has said nothing yet.
			assertThat(worker.waitFor(1, TimeUnit.SECONDS)).as("worker exited by itself").isFalse();

			server.destroyForcibly().waitFor();
			long killed = System.nanoTime();

			assertThat(worker.waitFor(10, TimeUnit.SECONDS)).as("worker exited").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(1));
			assertThat(worker.exitValue()).isEqualTo(3);
		}
		finally {
			server.destroyForcibly();
			if (worker != null) {
				worker.destroyForcibly();
			}
		}
	}

	@Test
	void watchesNothingWithoutAServer() {
		// The server's own start: no parent pid among its arguments, no watch thread.
		new ParentWatch(null, new String[] { "--server.port=0" });

		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().startsWith("mosec-parent-watch"));
	}

	/** A worker whose context takes its time to start: it only watches its server. */
	static final class StartingWorker {

		public static void main(String[] args) throws InterruptedException {
			new ParentWatch(null, args);
			Thread.sleep(60_000);
		}

	}

}
