package io.mosec.bench.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;

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
