package io.mosec.spring.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

/**
 * A client for a server under test on 127.0.0.1: JSON posts, alone or many at once, with
 * timeouts so that no test waits forever.
 */
public final class LocalHttp {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int port;

	public LocalHttp(int port) {
		this.port = port;
	}

	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return this.http.send(request(path, json), HttpResponse.BodyHandlers.ofString());
	}

	public CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
		return this.http.sendAsync(request(path, json), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends {@code count} posts at once and waits for every answer.
	 * @param path the path
	 * @param count how many
	 * @param json the body of post {@code i}
	 * @return the answers, in the order of the posts
	 */
	public List<HttpResponse<String>> postConcurrently(String path, int count, IntFunction<String> json)
			throws InterruptedException, ExecutionException {
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			calls.add(postAsync(path, json.apply(i)));
		}
		List<HttpResponse<String>> responses = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> call : calls) {
			responses.add(call.get());
		}
		return responses;
	}

	private HttpRequest request(String path, String json) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
