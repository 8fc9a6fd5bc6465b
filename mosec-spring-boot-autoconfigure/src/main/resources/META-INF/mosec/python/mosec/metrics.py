"""Meters a Python stage records, published by the server on ``/actuator/prometheus`` with the
stage's and worker's tags, as a Java stage's Micrometer meters are (ours: Mosec has no such API).

    from mosec import metrics

    texts = metrics.counter("classifier.texts", "Texts classified")
    inference = metrics.timer("classifier.inference")

    class Classifier(Worker):
        def forward(self, data):
            texts.increment(len(data))
            with inference.time():
                return self.model(data)

Names are Micrometer's (dotted; the server's Prometheus export writes ``classifier_texts_total``
and ``classifier_inference_seconds``). The worker sends a snapshot of every meter twice a second
when something changed; the server turns the change into its own meters, so counters never go
down when a worker restarts. Meters are made at import or in ``__init__``, once per name and tags.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Optional, Tuple

# Kinds as the server names them (io.mosec.spring.metrics.MeterSnapshot.Kind).
COUNTER = "COUNTER"
GAUGE = "GAUGE"
TIMER = "TIMER"
SUMMARY = "SUMMARY"

# More distinct meters than the server publishes per worker (mosec.metrics.max-forwarded-meters,
# 1000 by default) only grow the snapshot.
MAX_METERS = 1000

_Key = Tuple[str, Tuple[Tuple[str, str], ...]]


class _Meter:
    def __init__(self, name: str, kind: str, tags: Dict[str, str], unit: Optional[str],
                 description: Optional[str]):
        self.name = name
        self.kind = kind
        self.tags = tags
        self.unit = unit
        self.description = description
        self._lock = threading.Lock()
        self._value = 0.0
        self._count = 0.0
        self._max = float("nan")

    def sample(self) -> list:
        """The meter on the wire: ``[name, kind, [k, v, ...], unit, description, value, count, max]``."""
        with self._lock:
            value, count, largest = self._value, self._count, self._max
        flat = [part for item in sorted(self.tags.items()) for part in item]
        return [self.name, self.kind, flat, self.unit, self.description, float(value), float(count), largest]


class Counter(_Meter):
    """A count that only goes up."""

    def increment(self, amount: float = 1.0) -> None:
        """Adds ``amount`` (not negative)."""
        if amount < 0:
            raise ValueError("a counter only goes up")
        with self._lock:
            self._value += amount


class Gauge(_Meter):
    """A value as it is now: set, or read from a function at each snapshot."""

    def __init__(self, *args, function: Optional[Callable[[], float]] = None):
        super().__init__(*args)
        self._function = function

    def set(self, value: float) -> None:
        """Sets the value."""
        with self._lock:
            self._value = value

    def sample(self) -> list:
        if self._function is not None:
            try:
                self.set(float(self._function()))
            except Exception:  # pylint: disable=broad-except
                pass  # a failing function keeps the gauge's last value
        return super().sample()


class Summary(_Meter):
    """A distribution of recorded amounts: count, total and max."""

    def record(self, amount: float) -> None:
        """Records one amount."""
        with self._lock:
            self._count += 1
            self._value += amount
            self._max = amount if self._max != self._max or amount > self._max else self._max


class Timer(Summary):
    """Durations, in seconds."""

    @contextmanager
    def time(self) -> Iterator[None]:
        """Records how long the block takes, also when it raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.record(time.perf_counter() - started)


class Registry:
    """The meters of this process."""

    def __init__(self, max_meters: int = MAX_METERS):
        self._lock = threading.Lock()
        self._meters: Dict[_Key, _Meter] = {}
        self._max_meters = max_meters
        self._refused = False

    def _get(self, cls, kind: str, name: str, description: Optional[str], tags: Optional[Dict[str, str]],
             unit: Optional[str], **extra) -> _Meter:
        tags = {str(k): str(v) for k, v in (tags or {}).items()}
        key = (name, tuple(sorted(tags.items())))
        with self._lock:
            meter = self._meters.get(key)
            if meter is None:
                meter = cls(name, kind, tags, unit, description, **extra)
                if len(self._meters) < self._max_meters:
                    self._meters[key] = meter
                elif not self._refused:
                    self._refused = True
                    from mosec.log import runtime_logger  # pylint: disable=import-outside-toplevel
                    runtime_logger().warning("more than %d meters: '%s' and later ones are not published",
                                             self._max_meters, name)
            elif not isinstance(meter, cls):
                raise ValueError(f"meter '{name}' with these tags is a {meter.kind.lower()} already")
            return meter

    def snapshot(self) -> List[list]:
        """Every meter's sample."""
        with self._lock:
            meters = list(self._meters.values())
        return [meter.sample() for meter in meters]


    def counter(self, name: str, description: Optional[str] = None, tags: Optional[Dict[str, str]] = None,
                unit: Optional[str] = None) -> Counter:
        """The counter of this name and tags, made on first use."""
        return self._get(Counter, COUNTER, name, description, tags, unit)

    def gauge(self, name: str, description: Optional[str] = None, tags: Optional[Dict[str, str]] = None,
              unit: Optional[str] = None, function: Optional[Callable[[], float]] = None) -> Gauge:
        """The gauge of this name and tags; ``function``, when given, is read at each snapshot."""
        return self._get(Gauge, GAUGE, name, description, tags, unit, function=function)

    def summary(self, name: str, description: Optional[str] = None, tags: Optional[Dict[str, str]] = None,
                unit: Optional[str] = None) -> Summary:
        """The distribution summary of this name and tags."""
        return self._get(Summary, SUMMARY, name, description, tags, unit)

    def timer(self, name: str, description: Optional[str] = None, tags: Optional[Dict[str, str]] = None) -> Timer:
        """The timer of this name and tags (seconds)."""
        return self._get(Timer, TIMER, name, description, tags, "seconds")


REGISTRY = Registry()
counter = REGISTRY.counter
gauge = REGISTRY.gauge
summary = REGISTRY.summary
timer = REGISTRY.timer


class Reporter:
    """Sends the registry's snapshot when it changed (every ``period`` seconds at most, and at least
    every ``heartbeat`` seconds), as the Java worker does."""

    def __init__(self, registry: Registry, send: Callable[[bytes], None], period: float = 0.5,
                 heartbeat: float = 10.0):
        self._registry = registry
        self._send = send
        self._period = period
        self._heartbeat = heartbeat
        self._last: Optional[bytes] = None
        self._sent_at = 0.0

    def report(self) -> bool:
        """Sends a snapshot if it is due; whether it did."""
        import msgpack  # pylint: disable=import-outside-toplevel
        samples = self._registry.snapshot()
        if not samples:
            return False
        packed = msgpack.packb({"meters": samples}, use_bin_type=True)
        now = time.monotonic()
        if packed == self._last and now - self._sent_at < self._heartbeat:
            return False
        self._send(packed)
        self._last, self._sent_at = packed, now
        return True

    def start(self) -> None:
        """Reports from a daemon thread until the process ends."""

        def loop() -> None:
            while True:
                time.sleep(self._period)
                try:
                    self.report()
                except (OSError, ValueError):
                    return

        threading.Thread(target=loop, name="mosec-metrics", daemon=True).start()
