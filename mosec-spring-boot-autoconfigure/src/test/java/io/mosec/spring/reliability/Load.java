package io.mosec.spring.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Closed-loop load on 127.0.0.1 from a few client threads, bounded by a request count or by
 * {@link #stop()}: counts the answers by status and keeps the slowest one.
 */
final class Load implements AutoCloseable {

	/** Outcome of a request the client gave up on (its own timeout). */
	static final int GAVE_UP = -1;

	/** Outcome of a request that failed without an HTTP answer (connection refused or reset). */
	static final int NO_ANSWER = -2;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<Integer, LongAdder> outcomes = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	private final LongAccumulator slowestMillis = new LongAccumulator(Math::max, 0);

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final List<Thread> clients = new ArrayList<>();

	/** Whether each request goes on a connection of its own ({@link RawHttp}) instead of a pooled one. */
	private boolean connectionPerRequest;

	/**
	 * Starts the clients.
	 * @param uri where to post
	 * @param clients how many clients send at once
	 * @param requests how many requests in all, or {@code 0} until {@link #stop()}
	 * @param body the body of the next request
	 * @param giveUpAfter the longest a client waits for the next answer
	 * @return the running load
	 */
	static Load start(URI uri, int clients, int requests, Supplier<String> body, Supplier<Duration> giveUpAfter) {
		return start(uri, clients, requests, body, giveUpAfter, false);
	}

	/**
	 * Starts the clients, each request on a connection of its own if asked: a client that gives
	 * up then closes its connection, as a browser or a proxy does.
	 */
	static Load start(URI uri, int clients, int requests, Supplier<String> body, Supplier<Duration> giveUpAfter,
			boolean connectionPerRequest) {
		Load load = new Load();
		load.connectionPerRequest = connectionPerRequest;
		AtomicInteger left = new AtomicInteger((requests > 0) ? requests : Integer.MAX_VALUE);
		for (int i = 0; i < clients; i++) {
			Thread client = new Thread(() -> {
				while (!load.stopped.get() && left.getAndDecrement() > 0) {
					load.send(uri, body.get(), giveUpAfter.get());
				}
			}, "load-" + i);
			client.setDaemon(true);
			client.start();
			load.clients.add(client);
		}
		return load;
	}

	/** A random duration below the bound, at least 1 ms. */
	static Supplier<Duration> randomBelow(Duration bound) {
		return () -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, bound.toMillis()));
	}

	private void send(URI uri, String body, Duration giveUpAfter) {
		if (this.connectionPerRequest) {
			long started = System.nanoTime();
			int outcome = RawHttp.post(uri.getPort(), uri.getPath(), body, giveUpAfter);
			if (outcome > 0) {
				this.slowestMillis.accumulate(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			}
			this.outcomes.computeIfAbsent((outcome == RawHttp.CLOSED || outcome == RawHttp.REFUSED) ? NO_ANSWER : outcome,
					(key) -> new LongAdder()).increment();
			return;
		}
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(giveUpAfter)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		long started = System.nanoTime();
		int outcome;
		try {
			outcome = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			this.slowestMillis.accumulate(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
		}
		catch (HttpTimeoutException ex) {
			outcome = GAVE_UP;
		}
		catch (IOException ex) {
			outcome = NO_ANSWER;
			this.failures.computeIfAbsent(ex.getClass().getSimpleName() + ": " + ex.getMessage(), (key) -> new LongAdder())
				.increment();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.outcomes.computeIfAbsent(outcome, (key) -> new LongAdder()).increment();
	}

	/**
	 * Waits for the clients to send every request.
	 * @param atMost the longest wait
	 * @return this load
	 */
	Load await(Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		for (Thread client : this.clients) {
			client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		return this;
	}

	/** Stops sending, and waits for the requests in flight. */
	void stop() throws InterruptedException {
		this.stopped.set(true);
		await(Duration.ofSeconds(30));
	}

	/** How many requests ended with each outcome (an HTTP status, {@link #GAVE_UP} or {@link #NO_ANSWER}). */
	Map<Integer, Long> outcomes() {
		Map<Integer, Long> counts = new TreeMap<>();
		this.outcomes.forEach((outcome, count) -> counts.put(outcome, count.sum()));
		return counts;
	}

	/** Why requests got no answer, by exception and message. */
	Map<String, Long> failures() {
		Map<String, Long> counts = new TreeMap<>();
		this.failures.forEach((failure, count) -> counts.put(failure, count.sum()));
		return counts;
	}

	long count(int outcome) {
		return outcomes().getOrDefault(outcome, 0L);
	}

	long total() {
		return outcomes().values().stream().mapToLong(Long::longValue).sum();
	}

	/** The slowest answered request. */
	long slowestMillis() {
		return this.slowestMillis.get();
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	/** Outcomes as a reader wants them: statuses, then "gave up" and "no answer". */
	static String describe(Map<Integer, Long> outcomes) {
		List<String> parts = new ArrayList<>();
		outcomes.forEach((outcome, count) -> parts.add(switch (outcome) {
			case GAVE_UP -> "gave up " + count;
			case NO_ANSWER -> "no answer " + count;
			default -> outcome + ": " + count;
		}));
		return String.join(", ", parts);
	}

}
