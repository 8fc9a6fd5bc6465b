#!/usr/bin/env bash
# The benchmark suite, one command: builds what it needs, installs wrk if missing, starts each
# server on 127.0.0.1, drives it for a bounded time, and writes BENCHMARKS.md at the repository
# root. About 20 minutes on 2 cores; pass --quick for a smoke run of a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk
fi
# Section 6 runs Python stages on Debian's interpreter, 6b the sample's PyTorch stage.
if ! /usr/bin/python3 -c 'import msgpack, numpy, torch, onnx' 2>/dev/null || ! [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread ]; then
  apt-get update -qq && apt-get install -y -qq python3 python3-msgpack python3-numpy python3-torch python3-onnx libopenblas0-pthread
fi
./mvnw -B -q -pl mosec-benchmarks -am install -DskipTests
java -cp "mosec-benchmarks/target/classes:$(cat mosec-benchmarks/target/classpath.txt)" \
  io.mosec.bench.BenchmarkRunner BENCHMARKS.md "$@"
