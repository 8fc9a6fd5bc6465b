package io.mosec.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-memory Zipkin: takes what the server and its worker processes export to
 * {@code POST /api/v2/spans} (Zipkin's v2 JSON) and keeps it for a test to read. The JDK's HTTP
 * server is enough: spans come from two kinds of process, so an exporter inside one JVM cannot
 * see them all.
 */
public final class ZipkinCollector implements AutoCloseable {

	private final ObjectMapper json = JsonMapper.builder().build();

	private final HttpServer server;

	private final List<JsonNode> spans = new ArrayList<>();

	/**
	 * Starts collecting on a free port of 127.0.0.1.
	 * @throws IOException if no port can be had
	 */
	public ZipkinCollector() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/api/v2/spans", (exchange) -> {
			// Zipkin's senders gzip the larger messages.
			boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
			try (InputStream body = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
				JsonNode received = this.json.readTree(body);
				synchronized (this.spans) {
					received.forEach(this.spans::add);
				}
				exchange.sendResponseHeaders(202, -1);
			}
			catch (IOException | RuntimeException ex) {
				exchange.sendResponseHeaders(400, -1);
			}
			exchange.close();
		});
		this.server.start();
	}

	/**
	 * Starts collecting, for a static field.
	 * @return the collector
	 * @throws java.io.UncheckedIOException if no port can be had
	 */
	public static ZipkinCollector started() {
		try {
			return new ZipkinCollector();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * Where to export: the value of {@code management.tracing.export.zipkin.endpoint}.
	 * @return the URL of the spans API
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/v2/spans";
	}

	/**
	 * What has arrived so far.
	 * @return the spans, as Zipkin's JSON
	 */
	public List<JsonNode> spans() {
		synchronized (this.spans) {
			return List.copyOf(this.spans);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
