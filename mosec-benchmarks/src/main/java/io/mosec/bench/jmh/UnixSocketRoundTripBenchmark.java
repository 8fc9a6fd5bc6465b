package io.mosec.bench.jmh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One frame of one 100-byte task to a second JVM and back over a Unix domain socket, through
 * the same {@link FrameChannel} the server and its workers use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnixSocketRoundTripBenchmark {

	private Process echo;

	private FrameChannel channel;

	private Path directory;

	private final Frame frame = new Frame(0, List.of(new Frame.Item(1, 3, new byte[100])));

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.directory = Files.createTempDirectory("mosec-jmh-");
		Path socket = this.directory.resolve("echo.sock");
		this.echo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), UnixSocketEchoServer.class.getName(), socket.toString())
			.inheritIO()
			.start();
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (true) {
			try {
				SocketChannel socketChannel = SocketChannel.open(StandardProtocolFamily.UNIX);
				socketChannel.connect(UnixDomainSocketAddress.of(socket));
				this.channel = new FrameChannel(socketChannel, 64, 1 << 20);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				// The echo JVM is still starting: its socket does not exist yet.
				Thread.onSpinWait();
			}
		}
	}

	@Benchmark
	public Frame roundTrip() throws IOException {
		this.channel.write(this.frame);
		return this.channel.read();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.channel.close();
		this.echo.destroyForcibly().waitFor();
		Files.deleteIfExists(this.directory.resolve("echo.sock"));
		Files.deleteIfExists(this.directory);
	}

}
