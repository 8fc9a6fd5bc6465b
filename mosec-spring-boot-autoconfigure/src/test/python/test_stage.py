import json
import pickle
import textwrap

import msgpack
import pytest

from mosec import ClientError, MosecTimeoutError, ServerError, ValidationError, Worker, _stage, protocol
from mosec.mixin import MsgpackMixin, NumBinIPCMixin, TypedMsgPackMixin


class Echo(Worker):
    def forward(self, data):
        if data.get("fail") == "validation":
            raise ValidationError("value must be positive")
        if data.get("fail") == "client":
            raise ClientError("no such thing")
        if data.get("fail") == "timeout":
            raise MosecTimeoutError("gave up")
        if data.get("fail") == "server":
            raise ServerError("out of memory")
        if data.get("fail") == "bug":
            raise KeyError("secret internals")
        return data


class Doubling(Worker):
    def forward(self, data):
        assert isinstance(data, list)
        return [value * 2 for value in data]


def batch(*items):
    return protocol.Frame(0, [protocol.Item(i + 1, state, payload) for i, (state, payload) in enumerate(items)])


def detail(item):
    return json.loads(item.payload)["detail"]


def test_maps_each_error_to_its_status_and_mosecs_message():
    worker = Echo()
    bodies = [{"fail": kind} for kind in ("validation", "client", "timeout", "server", "bug")]
    reply = _stage.run(worker, batch(*[(protocol.INGRESS | protocol.EGRESS, json.dumps(body).encode())
                                       for body in bodies[:1]]))
    assert reply.items[0].state == protocol.VALIDATION_ERROR
    assert detail(reply.items[0]) == "request validation error: value must be positive"
    expected = {"client": (protocol.BAD_REQUEST, "bad request: no such thing"),
                "timeout": (protocol.TIMEOUT, "request timeout: gave up"),
                "server": (protocol.INTERNAL_ERROR, "inference internal error: out of memory"),
                "bug": (protocol.INTERNAL_ERROR, "inference internal error")}
    for kind, (flag, message) in expected.items():
        item = _stage.run(worker, batch((protocol.INGRESS | protocol.EGRESS,
                                         json.dumps({"fail": kind}).encode()))).items[0]
        assert (item.state, detail(item)) == (flag, message)


def test_fails_an_undecodable_item_alone_and_gives_its_batch_mates_to_forward_together():
    worker = Doubling()
    worker.max_batch_size = 8
    reply = _stage.run(worker, batch((protocol.INGRESS, b"1"), (protocol.INGRESS, b"{oops"), (protocol.INGRESS, b"3")))
    assert [item.state for item in reply.items] == [protocol.OK, protocol.BAD_REQUEST, protocol.OK]
    assert detail(reply.items[1]).startswith("decoding error")
    assert [msgpack.unpackb(reply.items[i].payload) for i in (0, 2)] == [2, 6]


def test_fails_a_batch_answered_with_the_wrong_number_of_outputs():
    class Short(Worker):
        def forward(self, data):
            return data[:1]

    worker = Short()
    worker.max_batch_size = 4
    worker.stage = "short"
    reply = _stage.run(worker, batch((protocol.INGRESS, b"1"), (protocol.INGRESS, b"2")))
    assert {item.state for item in reply.items} == {protocol.INTERNAL_ERROR}
    assert detail(reply.items[0]) == "inference internal error: stage 'short' returned 1 outputs for a batch of 2"


def test_speaks_msgpack_to_a_jvm_neighbour_and_pickle_to_a_python_one():
    worker = Echo()
    from_jvm = _stage.run(worker, batch((protocol.PICKLE_OUT, msgpack.packb({"a": [1, 2]}))))
    assert pickle.loads(from_jvm.items[0].payload) == {"a": [1, 2]}
    from_python = _stage.run(worker, batch((protocol.PICKLE_IN, pickle.dumps({"b": 1}))))
    assert msgpack.unpackb(from_python.items[0].payload) == {"b": 1}
    egress = _stage.run(worker, batch((protocol.PICKLE_IN | protocol.EGRESS, pickle.dumps({"c": 1}))))
    assert json.loads(egress.items[0].payload) == {"c": 1}


def test_reads_and_writes_msgpack_bodies_with_the_mixin():
    class Packed(MsgpackMixin, Worker):
        def forward(self, data):
            return data

    reply = _stage.run(Packed(), batch((protocol.INGRESS | protocol.EGRESS, msgpack.packb({"x": 1}))))
    assert msgpack.unpackb(reply.items[0].payload) == {"x": 1}
    assert Packed.resp_mime_type == "application/msgpack"


def test_says_which_package_a_mixin_it_cannot_offer_needs():
    with pytest.raises(ImportError, match="msgspec"):
        TypedMsgPackMixin()
    with pytest.raises(ImportError, match="numbin"):
        NumBinIPCMixin()


def test_warms_up_with_each_example_as_forward_takes_it():
    seen = []

    class Recording(Worker):
        multi_examples = [[1, 2], [3]]

        def forward(self, data):
            seen.append(data)
            return data

    worker = Recording()
    worker.max_batch_size = 2
    assert _stage.warm_up(worker) == 2
    assert seen == [[1, 2], [3]]

    class Single(Worker):
        example = (0, 1e-5)

        def forward(self, data):
            seen.append(data)
            return data

    assert _stage.warm_up(Single()) == 1
    assert seen[-1] == (0, 1e-5)


def test_loads_a_class_from_a_file_with_its_neighbours_and_from_a_module(tmp_path, monkeypatch):
    (tmp_path / "helper.py").write_text("FACTOR = 3\n")
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        from helper import FACTOR
        from mosec import Worker
        class Triple(Worker):
            def forward(self, data):
                return data * FACTOR
    """))
    cls = _stage.load(f"{tmp_path / 'model.py'}:Triple")
    assert cls().forward(2) == 6
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _stage.load("model:Triple").__name__ == "Triple"


def test_names_what_is_wrong_with_a_target():
    with pytest.raises(FileNotFoundError, match="does not exist"):
        _stage.load("/no/such/file.py:Model")
    with pytest.raises(TypeError, match="no class Missing"):
        _stage.load("mosec.worker:Missing")
    with pytest.raises(ValueError, match="names no class"):
        _stage.load("model.py")
