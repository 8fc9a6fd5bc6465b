package io.mosec.bench.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * The floor of a worker's start: a plain JVM that does what every worker must (Jackson and
 * msgpack loaded and used once, a Unix socket connected) and nothing else. It sends the CPU time
 * it used, in nanoseconds, and exits.
 */
public final class FloorProcess {

	private FloorProcess() {
	}

	/**
	 * Starts the floor three times, each connecting to a socket of the caller's.
	 * @param java the {@code java} to run
	 * @param classpath this class and Jackson's and msgpack's jars
	 * @param work where the socket goes
	 * @param started told of every process started
	 * @return the median start
	 * @throws Exception if a start fails
	 */
	static Measured measure(String java, String classpath, Path work, Consumer<Process> started) throws Exception {
		List<Measured> runs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Path socket = work.resolve("floor.sock");
			Files.deleteIfExists(socket);
			try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
				server.bind(UnixDomainSocketAddress.of(socket));
				long launched = System.nanoTime();
				Process process = new ProcessBuilder(java, "-XX:CompileThresholdScaling=5", "-cp",
						classpath, FloorProcess.class.getName(), socket.toString())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				started.accept(process);
				try (SocketChannel channel = server.accept()) {
					long millis = (System.nanoTime() - launched) / 1_000_000;
					ByteBuffer cpu = ByteBuffer.allocate(8);
					while (cpu.hasRemaining() && channel.read(cpu) >= 0) {
						// Until the 8 bytes of its CPU time are in.
					}
					runs.add(new Measured(millis, cpu.flip().getLong() / 1e9));
				}
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		// The median of three: the floor is a single short JVM, easily disturbed.
		runs.sort((a, b) -> Long.compare(a.millis(), b.millis()));
		return runs.get(1);
	}

	public static void main(String[] args) throws IOException {
		byte[] msgpack = new MessagePackMapper().writeValueAsBytes(Map.of("input", "floor"));
		String json = new ObjectMapper().writeValueAsString(new MessagePackMapper().readValue(msgpack, Map.class));
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(args[0]));
			long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
			ByteBuffer buffer = ByteBuffer.allocate(8 + json.length()).putLong(cpu).put(json.getBytes());
			channel.write(buffer.flip());
		}
	}

}
