"""Loading a stage class and running one batch through it: decoding, forward, encoding, and
the failure of each item, as the server's own stages do."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from typing import Any, Dict, List, Optional, Tuple, Type

from mosec import protocol
from mosec.errors import (ClientError, DecodingError, MosecError, MosecTimeoutError, ServerError,
                          ValidationError)
from mosec.worker import Worker

logger = logging.getLogger("mosec.runtime")

# Status and message prefix of each error, by class, most specific first. The prefixes are the
# server's (io.mosec.spring.protocol.Failure); PrefixesTests in the Java build compares them.
FAILURES: List[Tuple[type, int, str]] = [
    (ValidationError, protocol.VALIDATION_ERROR, "request validation error"),
    (DecodingError, protocol.BAD_REQUEST, "decoding error"),
    (ClientError, protocol.BAD_REQUEST, "bad request"),
    (MosecTimeoutError, protocol.TIMEOUT, "request timeout"),
    (ServerError, protocol.INTERNAL_ERROR, "inference internal error"),
]
UNEXPECTED = (protocol.INTERNAL_ERROR, "inference internal error")


def load(target: str) -> Type[Worker]:
    """The class named by ``file.py:Class`` or ``package.module:Class``."""
    where, _, name = target.rpartition(":")
    if not where or not name:
        raise ValueError(f"'{target}' names no class: write path/to/file.py:Class or module:Class")
    if where.endswith(".py") or os.sep in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"the file {path} does not exist")
        # Its neighbours import as they would when the file is run as a script.
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
        if spec is None or spec.loader is None:
            raise ImportError(f"{path} cannot be loaded as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    cls = getattr(module, name, None)
    if not isinstance(cls, type) or not issubclass(cls, Worker):
        raise TypeError(f"{where} has no class {name} that extends mosec.Worker")
    return cls


def failure(err: BaseException) -> Tuple[int, bytes]:
    """The status flag and the error report of an item that failed with ``err``."""
    for kind, flag, prefix in FAILURES:
        if isinstance(err, kind):
            message = str(err)
            return flag, protocol.error_payload(f"{prefix}: {message}" if message else prefix)
    # An unexpected exception's message may hold internals: log it, tell the client less.
    logger.error("the stage failed", exc_info=err)
    return UNEXPECTED[0], protocol.error_payload(UNEXPECTED[1])


def decode(worker: Worker, item: protocol.Item) -> Any:
    """One task's input: the request body at ingress, pickle from a Python stage, msgpack from a JVM one."""
    if item.state & protocol.INGRESS:
        return worker.deserialize(item.payload)
    if item.state & protocol.PICKLE_IN:
        return worker.deserialize_ipc(item.payload)
    try:
        import msgpack  # pylint: disable=import-outside-toplevel
        return msgpack.unpackb(item.payload, raw=False)
    except Exception as err:  # pylint: disable=broad-except
        raise DecodingError("the payload from the stage before cannot be read as msgpack") from err


def encode(worker: Worker, state: int, output: Any) -> bytes:
    """One task's output: the response body at egress, pickle for a Python stage, msgpack for a JVM one."""
    if state & protocol.EGRESS:
        return worker.serialize(output)
    if state & protocol.PICKLE_OUT:
        return worker.serialize_ipc(output)
    import msgpack  # pylint: disable=import-outside-toplevel
    return msgpack.packb(output, use_bin_type=True)


def traces(frame: protocol.Frame) -> Dict[int, Dict[str, str]]:
    """The trace contexts of a ``TRACE`` frame (msgpack maps of propagation fields), by task id;
    one that cannot be read is left out: tracing never fails a request."""
    contexts: Dict[int, Dict[str, str]] = {}
    try:
        import msgpack  # pylint: disable=import-outside-toplevel
    except ImportError:
        return contexts
    for item in frame.items:
        try:
            fields = msgpack.unpackb(item.payload, raw=False)
        except Exception:  # pylint: disable=broad-except
            continue
        if isinstance(fields, dict):
            contexts[item.id] = {str(k): str(v) for k, v in fields.items()}
    return contexts


def run(worker: Worker, batch: protocol.Frame, contexts: Optional[Dict[int, Dict[str, str]]] = None) -> protocol.Frame:
    """One batch: an item that cannot be decoded fails alone; what ``forward`` raises fails the
    items it was given; the reply has one item per task, in order, each with its status.
    ``contexts`` are the batch's trace contexts, by task id (``Worker.trace_context``)."""
    replies: List[Any] = [None] * len(batch.items)
    inputs: List[Any] = []
    positions: List[int] = []
    for position, item in enumerate(batch.items):
        try:
            inputs.append(decode(worker, item))
            positions.append(position)
        except (MosecError, MosecTimeoutError) as err:
            replies[position] = _failed(item, err)
        except Exception:  # pylint: disable=broad-except
            # Whatever else a payload provokes in the decoder, it fails this task alone.
            logger.warning("stage '%s' could not decode a payload", worker.stage, exc_info=True)
            replies[position] = _failed(item, DecodingError("the payload could not be decoded"))
    if inputs:
        worker._traces = [(contexts or {}).get(batch.items[p].id, {}) for p in positions]  # pylint: disable=protected-access
        try:
            outputs = _forward(worker, inputs)
        except (Exception, MosecTimeoutError) as err:  # pylint: disable=broad-except
            flag, report = failure(err)
            outputs = None
            for position in positions:
                replies[position] = protocol.Item(batch.items[position].id, flag, report)
        finally:
            worker._traces = []  # pylint: disable=protected-access
        if outputs is not None:
            for position, output in zip(positions, outputs):
                item = batch.items[position]
                try:
                    replies[position] = protocol.Item(item.id, protocol.OK, encode(worker, item.state, output))
                except (Exception, MosecTimeoutError) as err:  # pylint: disable=broad-except
                    replies[position] = _failed(item, err)
    return protocol.Frame(protocol.OK, replies)


def warm_up(worker: Worker) -> int:
    """Runs each of ``multi_examples``, or else ``example``, through ``forward`` as it is: as in
    Mosec, an example is already what ``forward`` takes (a list for a batching stage)."""
    examples = list(worker.multi_examples) if worker.multi_examples else (
        [worker.example] if worker.example is not None else [])
    for example in examples:
        worker.forward(example)
    return len(examples)


def _forward(worker: Worker, inputs: List[Any]) -> List[Any]:
    if worker.max_batch_size <= 1:
        traces_of_batch = worker._traces  # pylint: disable=protected-access
        outputs = []
        for index, data in enumerate(inputs):
            worker._traces = traces_of_batch[index:index + 1]  # pylint: disable=protected-access
            outputs.append(worker.forward(data))
        return outputs
    outputs = worker.forward(inputs)
    if not isinstance(outputs, list) or len(outputs) != len(inputs):
        count = len(outputs) if isinstance(outputs, (list, tuple)) else "no list of"
        raise ServerError(f"stage '{worker.stage}' returned {count} outputs for a batch of {len(inputs)}")
    return outputs


def _failed(item: protocol.Item, err: BaseException) -> protocol.Item:
    flag, report = failure(err)
    return protocol.Item(item.id, flag, report)
