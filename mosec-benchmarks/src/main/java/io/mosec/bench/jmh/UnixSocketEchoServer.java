package io.mosec.bench.jmh;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;

/**
 * The other JVM of {@link UnixSocketRoundTripBenchmark}: answers every frame with itself, and
 * exits when the connection closes.
 */
public final class UnixSocketEchoServer {

	private UnixSocketEchoServer() {
	}

	public static void main(String[] args) throws Exception {
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(Path.of(args[0])));
			try (FrameChannel channel = new FrameChannel(server.accept(), 64, 1 << 20)) {
				Frame frame;
				while ((frame = channel.read()) != null) {
					channel.write(frame);
				}
			}
		}
	}

}
