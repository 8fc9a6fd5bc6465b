"""The metrics API: what a stage records, and the snapshots the worker sends the server."""

import math

import msgpack
import pytest

from mosec import metrics


def test_a_counter_a_timer_and_a_summary_cross_as_the_servers_samples():
    registry = metrics.Registry()
    texts = registry.counter("texts", "Texts seen", {"model": "v1"})
    texts.increment()
    texts.increment(2)
    inference = registry.timer("inference")
    with inference.time():
        pass
    inference.record(0.5)
    tokens = registry.summary("tokens", unit="tokens")
    tokens.record(3)
    tokens.record(7)
    samples = {sample[0]: sample for sample in registry.snapshot()}
    assert samples["texts"] == ["texts", "COUNTER", ["model", "v1"], None, "Texts seen", 3.0, 0.0, samples["texts"][7]]
    assert samples["inference"][1:4] == ["TIMER", [], "seconds"]
    assert samples["inference"][6] == 2.0 and samples["inference"][7] == 0.5
    assert 0.5 <= samples["inference"][5] < 1.0
    assert samples["tokens"][5:] == [10.0, 2.0, 7.0]


def test_the_same_name_and_tags_is_the_same_meter_and_another_kind_is_refused():
    registry = metrics.Registry()
    first = registry.counter("n", tags={"a": "1"})
    assert registry.counter("n", tags={"a": 1}) is first
    assert registry.counter("n", tags={"a": "2"}) is not first
    with pytest.raises(ValueError, match="is a counter already"):
        registry.gauge("n", tags={"a": "1"})


def test_a_counter_never_goes_down():
    with pytest.raises(ValueError):
        metrics.Registry().counter("n").increment(-1)


def test_a_gauge_reads_its_function_and_keeps_its_value_when_the_function_fails():
    registry = metrics.Registry()
    values = iter([4.0])
    registry.gauge("depth", function=lambda: next(values))
    assert registry.snapshot()[0][5] == 4.0
    assert registry.snapshot()[0][5] == 4.0


def test_meters_beyond_the_limit_are_not_published():
    registry = metrics.Registry(max_meters=3)
    for i in range(5):
        registry.counter("n", tags={"i": str(i)}).increment()
    assert len(registry.snapshot()) == 3


def test_the_reporter_sends_a_snapshot_only_when_something_changed_or_its_heartbeat_is_due():
    registry = metrics.Registry()
    sent = []
    reporter = metrics.Reporter(registry, sent.append, heartbeat=3600)
    assert not reporter.report()  # nothing recorded: nothing to send
    counter = registry.counter("n")
    counter.increment()
    assert reporter.report()
    assert not reporter.report()
    counter.increment()
    assert reporter.report()
    assert [msgpack.unpackb(snapshot)["meters"][0][5] for snapshot in sent] == [1.0, 2.0]
    assert math.isnan(msgpack.unpackb(sent[0])["meters"][0][7])
    assert metrics.Reporter(registry, sent.append, heartbeat=0).report()
