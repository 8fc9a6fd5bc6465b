package io.mosec.bench.jmh;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mosec.spring.protocol.Frame;
import io.mosec.spring.protocol.FrameCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Frame encode and decode, for a batch of 1 and of 32 tasks of 100 bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {

	@Param({ "1", "32" })
	int items;

	private Frame frame;

	private ByteBuffer encoded;

	private FrameCodec.Decoder decoder;

	@Setup
	public void setUp() {
		List<Frame.Item> list = new ArrayList<>();
		for (int i = 0; i < this.items; i++) {
			list.add(new Frame.Item(i, 3, new byte[100]));
		}
		this.frame = new Frame(0, list);
		this.encoded = FrameCodec.encode(this.frame);
		this.decoder = new FrameCodec.Decoder(64, 1 << 20);
	}

	@Benchmark
	public ByteBuffer encode() {
		return FrameCodec.encode(this.frame);
	}

	@Benchmark
	public Frame decode() {
		return this.decoder.decode(this.encoded.duplicate());
	}

}
