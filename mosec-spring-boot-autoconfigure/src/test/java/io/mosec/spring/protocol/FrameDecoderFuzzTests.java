package io.mosec.spring.protocol;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame decoder against any bytes, in any chunks: a frame within the limits, a typed
 * {@link MalformedFrameException}, or a wait for more bytes; never another exception, never an
 * allocation the bytes that arrived do not justify.
 * <p>
 * In a normal test run this replays the inputs under {@code FrameDecoderFuzzTestsInputs};
 * {@code JAZZER_FUZZ=1} fuzzes with coverage guidance (see RELIABILITY.md).
 */
class FrameDecoderFuzzTests {

	static final int MAX_ITEMS = 32;

	static final int MAX_ITEM_BYTES = 1 << 20;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	static {
		// Class loading and first-use allocations are not the decoder's doing: get them over with.
		try {
			new FrameCodec.Decoder(MAX_ITEMS, MAX_ITEM_BYTES)
				.decode(FrameCodec.encode(new Frame(1, java.util.List.of(new Frame.Item(1, 1, new byte[8])))));
			new FrameCodec.Decoder(1, 1).decode(ByteBuffer.wrap(new byte[] { 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0 }));
		}
		catch (MalformedFrameException expected) {
		}
	}

	@FuzzTest(maxExecutions = 1_000_000, maxDuration = "30m")
	void decodesAnyBytesInAnyChunksIntoFramesOrATypedError(FuzzedDataProvider data) {
		int chunk = data.consumeInt(1, 4096);
		byte[] bytes = data.consumeRemainingAsBytes();
		FrameCodec.Decoder decoder = new FrameCodec.Decoder(MAX_ITEMS, MAX_ITEM_BYTES);
		ByteBuffer in = ByteBuffer.allocate(bytes.length).flip();
		int offered = 0;
		long allocated = 0;
		try {
			while (offered < bytes.length || in.hasRemaining()) {
				long before = THREADS.getCurrentThreadAllocatedBytes();
				Frame frame;
				try {
					frame = decoder.decode(in);
				}
				finally {
					allocated += THREADS.getCurrentThreadAllocatedBytes() - before;
				}
				if (frame != null) {
					assertThat(frame.items()).hasSizeLessThanOrEqualTo(MAX_ITEMS);
					frame.items().forEach((item) -> assertThat(item.payload()).hasSizeLessThanOrEqualTo(MAX_ITEM_BYTES));
					continue;
				}
				if (offered == bytes.length) {
					break;
				}
				// More bytes arrive, as a socket would deliver them.
				int next = Math.min(chunk, bytes.length - offered);
				in.compact().put(bytes, offered, next).flip();
				offered += next;
			}
		}
		catch (MalformedFrameException expected) {
			// A typed refusal is a correct answer to bad bytes.
		}
		// A lying length header must not buy an allocation: growth follows the bytes that arrived.
		assertThat(allocated).isLessThan(256 * 1024 + 8L * bytes.length);
	}

}
