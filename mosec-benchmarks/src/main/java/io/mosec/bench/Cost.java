package io.mosec.bench;

/** CPU time and thread switches, per request, of the server JVM and of its workers together. */
record Cost(Usage server, Usage workers, double stolenPercent) {
}
