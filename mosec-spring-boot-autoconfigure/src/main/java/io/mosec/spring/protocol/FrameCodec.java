package io.mosec.spring.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mosec's frame layout, big-endian: {@code u16 flag, u16 n, n x (u32 id, u16 state, u32 length,
 * bytes)}. Pure: it turns frames into bytes and bytes into frames, and does no I/O.
 */
public final class FrameCodec {

	static final int HEADER_BYTES = 4;

	static final int ITEM_HEADER_BYTES = 10;

	private FrameCodec() {
	}

	/**
	 * Encodes a frame.
	 * @param frame the frame
	 * @return a buffer ready to be written, positioned at 0
	 */
	public static ByteBuffer encode(Frame frame) {
		List<Frame.Item> items = frame.items();
		if (items.size() > 0xFFFF) {
			throw new IllegalArgumentException("a frame holds at most 65535 items, not " + items.size());
		}
		ByteBuffer buffer = ByteBuffer.allocate(encodedSize(frame));
		buffer.putShort((short) frame.flag()).putShort((short) items.size());
		for (Frame.Item item : items) {
			buffer.putInt(item.id()).putShort((short) item.state()).putInt(item.payload().length).put(item.payload());
		}
		return buffer.flip();
	}

	/**
	 * The size of a frame on the wire.
	 * @param frame the frame
	 * @return its encoded size in bytes
	 */
	public static int encodedSize(Frame frame) {
		int size = HEADER_BYTES;
		for (Frame.Item item : frame.items()) {
			size += ITEM_HEADER_BYTES + item.payload().length;
		}
		return size;
	}

	/**
	 * Decodes frames from bytes as they arrive, in pieces of any size.
	 * <p>
	 * Every length read from the wire is checked against the limits before it is used, and a
	 * payload's array grows with the bytes that actually arrive, so a lying length cannot make
	 * it allocate what it claims.
	 */
	public static final class Decoder {

		private static final int FIRST_CHUNK = 64 * 1024;

		private final int maxItems;

		private final int maxItemBytes;

		private final ByteBuffer header = ByteBuffer.allocate(ITEM_HEADER_BYTES);

		private int flag = -1;

		private int count;

		private List<Frame.Item> items;

		private int itemId;

		private int itemState;

		private int itemLength = -1;

		private byte[] payload;

		private int filled;

		/**
		 * Creates a decoder.
		 * @param maxItems most items a frame may hold
		 * @param maxItemBytes largest payload of one item
		 */
		public Decoder(int maxItems, int maxItemBytes) {
			this.maxItems = maxItems;
			this.maxItemBytes = maxItemBytes;
			this.header.limit(HEADER_BYTES);
		}

		/**
		 * Consumes bytes until a frame is complete or the bytes run out.
		 * @param in the bytes; its position advances past what was consumed
		 * @return the frame, or {@code null} when more bytes are needed
		 * @throws MalformedFrameException if the bytes break the limits
		 */
		public Frame decode(ByteBuffer in) {
			while (true) {
				if (this.flag < 0) {
					if (!fill(in)) {
						return null;
					}
					this.flag = Short.toUnsignedInt(this.header.getShort(0));
					this.count = Short.toUnsignedInt(this.header.getShort(2));
					if (this.count > this.maxItems) {
						throw new MalformedFrameException("frame claims " + this.count + " items, more than the limit of "
								+ this.maxItems);
					}
					this.items = new ArrayList<>(this.count);
					this.header.clear().limit(ITEM_HEADER_BYTES);
				}
				if (this.items.size() == this.count) {
					Frame frame = new Frame(this.flag, this.items);
					this.flag = -1;
					this.items = null;
					this.header.clear().limit(HEADER_BYTES);
					return frame;
				}
				if (this.itemLength < 0) {
					if (!fill(in)) {
						return null;
					}
					this.itemId = this.header.getInt(0);
					this.itemState = Short.toUnsignedInt(this.header.getShort(4));
					long length = Integer.toUnsignedLong(this.header.getInt(6));
					if (length > this.maxItemBytes) {
						throw new MalformedFrameException("frame item claims " + length
								+ " bytes, more than the limit of " + this.maxItemBytes);
					}
					this.itemLength = (int) length;
					this.payload = new byte[Math.min(this.itemLength, FIRST_CHUNK)];
					this.filled = 0;
					this.header.clear().limit(ITEM_HEADER_BYTES);
				}
				int take = Math.min(in.remaining(), this.itemLength - this.filled);
				if (this.filled + take > this.payload.length) {
					this.payload = Arrays.copyOf(this.payload,
							(int) Math.min(this.itemLength, Math.max(this.filled + take, 2L * this.payload.length)));
				}
				in.get(this.payload, this.filled, take);
				this.filled += take;
				if (this.filled < this.itemLength) {
					return null;
				}
				this.items.add(new Frame.Item(this.itemId, this.itemState, this.payload));
				this.itemLength = -1;
				this.payload = null;
			}
		}

		/**
		 * Whether the decoder stands between frames; at the end of the stream anything else
		 * means the last frame was truncated.
		 * @return true between frames
		 */
		public boolean isBetweenFrames() {
			return this.flag < 0 && this.header.position() == 0;
		}

		private boolean fill(ByteBuffer in) {
			while (this.header.hasRemaining() && in.hasRemaining()) {
				this.header.put(in.get());
			}
			return !this.header.hasRemaining();
		}

	}

}
