package io.mosec.spring.protocol;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The frame codec: round trips, and bytes that must be refused.
 */
class FrameCodecTests {

	private final FrameCodec.Decoder decoder = new FrameCodec.Decoder(64, 1024 * 1024);

	@Test
	void roundTripsAFrameWithoutItems() {
		assertRoundTrip(new Frame(Flags.OK, List.of()));
	}

	@Test
	void roundTripsAFrameWithOneItem() {
		assertRoundTrip(new Frame(0, List.of(item(7, Flags.INGRESS | Flags.EGRESS, "{\"a\":1}"))));
	}

	@Test
	void roundTripsAFrameWithManyItemsIncludingEmptyOnes() {
		List<Frame.Item> items = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			items.add(item(Integer.MAX_VALUE - i, i % 3, "x".repeat(i * 100)));
		}
		assertRoundTrip(new Frame(Flags.VALIDATION_ERROR, items));
	}

	@Test
	void writesMosecsLayoutBigEndian() {
		ByteBuffer bytes = FrameCodec.encode(new Frame(Flags.OK, List.of(item(258, Flags.EGRESS, "hi"))));
		assertThat(toArray(bytes)).containsExactly(0, 1, 0, 1, 0, 0, 1, 2, 0, 2, 0, 0, 0, 2, 'h', 'i');
	}

	@Test
	void decodesFramesDeliveredOneByteAtATime() {
		Frame first = new Frame(0, List.of(item(1, 1, "one"), item(2, 2, "")));
		Frame second = new Frame(Flags.OK, List.of(item(3, 0, "three")));
		byte[] stream = concat(toArray(FrameCodec.encode(first)), toArray(FrameCodec.encode(second)));
		List<Frame> decoded = new ArrayList<>();
		for (byte b : stream) {
			Frame frame = this.decoder.decode(ByteBuffer.wrap(new byte[] { b }));
			if (frame != null) {
				decoded.add(frame);
			}
		}
		assertThat(decoded).hasSize(2);
		assertSameFrame(decoded.get(0), first);
		assertSameFrame(decoded.get(1), second);
		assertThat(this.decoder.isBetweenFrames()).isTrue();
	}

	@Test
	void recognisesATruncatedFrame() {
		byte[] whole = toArray(FrameCodec.encode(new Frame(0, List.of(item(1, 0, "payload")))));
		ByteBuffer truncated = ByteBuffer.wrap(whole, 0, whole.length - 3);
		assertThat(this.decoder.decode(truncated)).isNull();
		assertThat(this.decoder.isBetweenFrames()).isFalse();
	}

	@Test
	void refusesMoreItemsThanTheLimit() {
		ByteBuffer header = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 65).flip();
		assertThatExceptionOfType(MalformedFrameException.class).isThrownBy(() -> this.decoder.decode(header))
			.withMessageContaining("65 items");
	}

	@Test
	void refusesAnItemLongerThanTheLimit() {
		ByteBuffer bytes = ByteBuffer.allocate(14)
			.putShort((short) 0).putShort((short) 1)
			.putInt(1).putShort((short) 0).putInt(0xFFFFFFFF)
			.flip();
		assertThatExceptionOfType(MalformedFrameException.class).isThrownBy(() -> this.decoder.decode(bytes))
			.withMessageContaining("4294967295 bytes");
	}

	@Test
	void doesNotAllocateWhatALyingLengthClaims() {
		FrameCodec.Decoder generous = new FrameCodec.Decoder(1, 512 * 1024 * 1024);
		ByteBuffer lie = ByteBuffer.allocate(24)
			.putShort((short) 0).putShort((short) 1)
			.putInt(1).putShort((short) 0).putInt(500 * 1024 * 1024)
			.put(new byte[10])
			.flip();
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		assertThat(generous.decode(lie)).isNull();
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).isLessThan(1024 * 1024);
	}

	private void assertRoundTrip(Frame frame) {
		Frame decoded = this.decoder.decode(FrameCodec.encode(frame));
		assertSameFrame(decoded, frame);
		assertThat(this.decoder.isBetweenFrames()).isTrue();
	}

	private static void assertSameFrame(Frame actual, Frame expected) {
		assertThat(actual).isNotNull();
		assertThat(actual.flag()).isEqualTo(expected.flag());
		assertThat(actual.items()).hasSameSizeAs(expected.items());
		for (int i = 0; i < expected.items().size(); i++) {
			assertThat(actual.items().get(i).id()).isEqualTo(expected.items().get(i).id());
			assertThat(actual.items().get(i).state()).isEqualTo(expected.items().get(i).state());
			assertThat(actual.items().get(i).payload()).isEqualTo(expected.items().get(i).payload());
		}
	}

	private static Frame.Item item(int id, int state, String payload) {
		return new Frame.Item(id, state, payload.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] toArray(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
