"""A worker process as the server sees it: launched, hello, batches, replies, streams."""

import json
import os
import socket
import subprocess
import sys
import textwrap

import msgpack
import pytest

from mosec import protocol

from conftest import RUNTIME  # the package the server ships


@pytest.fixture
def server(tmp_path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = str(tmp_path / "stage.sock")
    listener.bind(path)
    listener.listen(1)
    listener.settimeout(20)
    processes = []

    def launch(source, cls, max_batch_size=1):
        (tmp_path / "stage.py").write_text(textwrap.dedent(source))
        process = subprocess.Popen(
            [sys.executable, "-m", "mosec._worker", "--target", f"{tmp_path / 'stage.py'}:{cls}", "--stage", "s",
             "--worker-id", "2", "--max-batch-size", str(max_batch_size), "--socket", path,
             "--parent-pid", str(os.getpid())], env={**os.environ, "PYTHONPATH": RUNTIME})
        processes.append(process)
        connection, _ = listener.accept()
        return process, protocol.Channel(connection)

    yield launch
    for process in processes:
        process.kill()
        process.wait()
    listener.close()


def test_says_hello_with_its_id_and_pid_then_answers_batches_in_order(server):
    process, channel = server("""
        from mosec import Worker
        class Upper(Worker):
            example = {"text": "warm"}
            def forward(self, data):
                return {"text": data["text"].upper(), "id": self.worker_id}
        """, "Upper")
    hello = channel.read()
    assert hello.flag == protocol.HELLO
    assert hello.items[0].id == 2 and int(hello.items[0].payload) == process.pid
    channel.write(protocol.Frame(0, [protocol.Item(5, protocol.INGRESS | protocol.EGRESS, b'{"text": "hi"}')]))
    reply = channel.read()
    assert reply.items[0].id == 5 and reply.items[0].state == protocol.OK
    assert json.loads(reply.items[0].payload) == {"text": "HI", "id": 2}


def test_exits_when_the_server_closes_the_socket(server):
    process, channel = server("""
        from mosec import Worker
        class Echo(Worker):
            def forward(self, data):
                return data
        """, "Echo")
    channel.read()
    channel.close()
    assert process.wait(timeout=10) == 0


def test_streams_each_items_events_then_replies_and_drops_a_cancelled_streams_events(server):
    _, channel = server("""
        import time
        from mosec import SSEWorker
        class Count(SSEWorker):
            def forward(self, data):
                for index, item in enumerate(data):
                    for n in range(item["n"]):
                        self.send_stream_event(f"{index}:{n}", index)
                        time.sleep(0.01)
                return [None] * len(data)
        """, "Count", max_batch_size=2)
    channel.read()
    channel.write(protocol.Frame(0, [protocol.Item(1, protocol.INGRESS | protocol.EGRESS, b'{"n": 2}'),
                                     protocol.Item(2, protocol.INGRESS | protocol.EGRESS, b'{"n": 30}')]))
    events = []
    while True:
        frame = channel.read()
        if frame.flag != protocol.STREAM_EVENT:
            break
        events.extend((item.id, item.payload.decode()) for item in frame.items)
        if events[-1] == (2, "1:0"):
            channel.write(protocol.Frame(protocol.CANCEL, [protocol.Item(2, 0, b"")]))
    assert events[:2] == [(1, "0:0"), (1, "0:1")]
    assert len([event for event in events if event[0] == 2]) < 30
    assert [(item.id, item.state, item.payload) for item in frame.items] == [(1, protocol.OK, b""), (2, protocol.OK, b"")]


def test_gives_each_input_the_trace_context_sent_before_its_batch(server):
    _, channel = server("""
        from mosec import Worker
        class Traced(Worker):
            def forward(self, data):
                return [self.trace_context(i).get("traceparent", "none") for i in range(len(data))]
        """, "Traced", max_batch_size=4)
    channel.read()
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    channel.write(protocol.Frame(protocol.TRACE, [protocol.Item(8, 0, msgpack.packb({"traceparent": parent})),
                                                  protocol.Item(9, 0, b"\xc1 not msgpack")]))
    channel.write(protocol.Frame(0, [protocol.Item(7, protocol.INGRESS | protocol.EGRESS, b"1"),
                                     protocol.Item(8, protocol.INGRESS | protocol.EGRESS, b"2"),
                                     protocol.Item(9, protocol.INGRESS | protocol.EGRESS, b"3")]))
    reply = channel.read()
    assert [json.loads(item.payload) for item in reply.items] == ["none", parent, "none"]
    # The next batch has no trace frame before it: no context.
    channel.write(protocol.Frame(0, [protocol.Item(8, protocol.INGRESS | protocol.EGRESS, b"2")]))
    assert [json.loads(item.payload) for item in channel.read().items] == ["none"]


def test_sends_what_the_stage_records_as_a_meter_snapshot(server):
    _, channel = server("""
        from mosec import Worker, metrics
        seen = metrics.counter("stage.seen", "Inputs seen", tags={"kind": "test"})
        class Counting(Worker):
            def forward(self, data):
                seen.increment()
                return data
        """, "Counting")
    assert channel.read().flag == protocol.HELLO
    channel.write(protocol.Frame(0, [protocol.Item(1, protocol.INGRESS | protocol.EGRESS, b"1")]))
    values = []
    while not values:
        frame = channel.read()
        if frame.flag == protocol.METRICS:
            assert frame.items[0].id == 2  # the worker's id
            # A snapshot taken before the batch ran says 0; the one after it, 1.
            values = [sample for sample in msgpack.unpackb(frame.items[0].payload)["meters"]
                      if sample[0] == "stage.seen" and sample[5] == 1.0]
    assert values[0][1:3] == ["COUNTER", ["kind", "test"]]
