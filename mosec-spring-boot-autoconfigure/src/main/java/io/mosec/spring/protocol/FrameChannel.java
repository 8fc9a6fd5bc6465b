package io.mosec.spring.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Frames over a blocking socket: the thin I/O adapter around the pure {@link FrameCodec}.
 * <p>
 * It calls {@code read} and {@code write} on the channel directly: stream adapters over one
 * {@code SocketChannel} share its blocking lock, and a thread blocked in a read would stall a
 * writer.
 */
public final class FrameChannel implements Closeable {

	private final SocketChannel channel;

	private final FrameCodec.Decoder decoder;

	private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

	public FrameChannel(SocketChannel channel, int maxItems, int maxItemBytes) {
		this.channel = channel;
		this.decoder = new FrameCodec.Decoder(maxItems, maxItemBytes);
	}

	/**
	 * Writes a whole frame.
	 * @param frame the frame
	 * @throws IOException if the peer is gone
	 */
	public void write(Frame frame) throws IOException {
		ByteBuffer out = FrameCodec.encode(frame);
		while (out.hasRemaining()) {
			this.channel.write(out);
		}
	}

	/**
	 * Reads the next whole frame.
	 * @return the frame, or {@code null} when the peer closed the connection between frames
	 * @throws IOException if the connection fails
	 * @throws MalformedFrameException if the bytes are not a valid frame, or stop mid-frame
	 */
	public Frame read() throws IOException {
		while (true) {
			Frame frame = this.decoder.decode(this.in);
			if (frame != null) {
				return frame;
			}
			this.in.compact();
			int read = this.channel.read(this.in);
			this.in.flip();
			if (read < 0) {
				if (this.decoder.isBetweenFrames()) {
					return null;
				}
				throw new MalformedFrameException("the connection closed in the middle of a frame");
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
