package io.mosec.spring.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 request on a connection of its own ({@code Connection: close}). Hand-written
 * because a shutdown test must tell a refused connection from one that was accepted and then
 * closed without an answer, which a pooling client hides.
 */
final class RawHttp {

	/** The connection was refused. */
	static final int REFUSED = -10;

	/** The connection closed before any byte of an answer. */
	static final int CLOSED = -11;

	/** No answer within the timeout: the client closed the connection. */
	static final int GAVE_UP = Load.GAVE_UP;

	private RawHttp() {
	}

	/**
	 * Posts JSON and reads the status code.
	 * @return the status, {@link #REFUSED} or {@link #CLOSED}
	 */
	static int post(int port, String path, String json, Duration timeout) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n";
		try (Socket socket = new Socket()) {
			try {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			}
			catch (ConnectException ex) {
				return REFUSED;
			}
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] statusLine = in.readNBytes(12);
			if (statusLine.length < 12) {
				return CLOSED;
			}
			return Integer.parseInt(new String(statusLine, 9, 3, StandardCharsets.US_ASCII));
		}
		catch (java.net.SocketTimeoutException ex) {
			return GAVE_UP;
		}
		catch (IOException ex) {
			// Reset while writing or before the answer: nothing was answered.
			return CLOSED;
		}
	}

}
