package io.mosec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run: throughput, median and 99th percentile latency in ms, errors, requests
 * answered, and what they cost the server's processes.
 */
record Result(double rps, double p50, double p99, String errors, long requests, Cost cost) {

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

	Result withCost(Cost cost) {
		return new Result(this.rps, this.p50, this.p99, this.errors, this.requests, cost);
	}

	private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");

	private static final Pattern PERCENTILE = Pattern.compile("(50|99)%\\s+([\\d.]+)(us|ms|s)");

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET = Pattern.compile("Socket errors: (.*)");

	static Result parse(String output) {
		Matcher rps = RPS.matcher(output);
		if (!rps.find()) {
			throw new IllegalStateException("wrk printed no result:\n" + output);
		}
		double p50 = 0;
		double p99 = 0;
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double value = Double.parseDouble(percentile.group(2));
			value = switch (percentile.group(3)) {
				case "us" -> value / 1000;
				case "s" -> value * 1000;
				default -> value;
			};
			if (percentile.group(1).equals("50")) {
				p50 = value;
			}
			else {
				p99 = value;
			}
		}
		List<String> errors = new ArrayList<>();
		Matcher non2xx = NON_2XX.matcher(output);
		if (non2xx.find()) {
			errors.add(non2xx.group(1) + " non-2xx");
		}
		Matcher socket = SOCKET.matcher(output);
		if (socket.find()) {
			errors.add("socket " + socket.group(1).trim());
		}
		Matcher requests = REQUESTS.matcher(output);
		return new Result(Double.parseDouble(rps.group(1)), p50, p99, errors.isEmpty() ? "0" : String.join(", ", errors),
				requests.find() ? Long.parseLong(requests.group(1)) : 0, null);
	}

}
