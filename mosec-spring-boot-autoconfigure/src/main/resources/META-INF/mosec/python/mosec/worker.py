"""The stage classes a user writes, with Mosec's names: ``Worker`` and ``SSEWorker``."""

from __future__ import annotations

import json
import pickle
from typing import Any, Callable, Dict, List, Optional, Sequence

from mosec.errors import DecodingError, EncodingError


class Worker:
    """A stage: ``forward`` gets one input, or a list of them when ``max_batch_size`` > 1.

    ``example`` or ``multi_examples`` warm the stage up before it reports ready. ``worker_id``
    (1 to num), ``max_batch_size`` and ``stage`` are set before that.
    """

    example: Any = None
    multi_examples: Sequence[Any] = []
    resp_mime_type = "application/json"
    _worker_id: int = 0
    _stage: str = ""
    _max_batch_size: int = 1
    _traces: List[Dict[str, str]] = []

    def __init__(self) -> None:
        """Nothing to do; a subclass loads its model here."""

    @property
    def worker_id(self) -> int:
        """This worker's id, 1 to num."""
        return self._worker_id

    @worker_id.setter
    def worker_id(self, worker_id: int) -> None:
        self._worker_id = worker_id

    @property
    def max_batch_size(self) -> int:
        """The stage's largest batch."""
        return self._max_batch_size

    @max_batch_size.setter
    def max_batch_size(self, max_batch_size: int) -> None:
        self._max_batch_size = max_batch_size

    @property
    def stage(self) -> str:
        """The stage's name."""
        return self._stage

    @stage.setter
    def stage(self, stage: str) -> None:
        self._stage = stage

    def trace_context(self, index: int = 0) -> Dict[str, str]:
        """The trace context of the input ``index`` of the batch in ``forward`` (0 without
        batching): the propagation fields of the server's ``mosec.forward`` span (``traceparent``
        with W3C propagation), to pass on to what the stage calls for that request. Empty when the
        request is not traced. Ours: Mosec has no traces."""
        return dict(self._traces[index]) if 0 <= index < len(self._traces) else {}

    def serialize(self, data: Any) -> bytes:
        """The response body for one output (egress stage): JSON."""
        try:
            return json.dumps(data, indent=2).encode()
        except Exception as err:  # pylint: disable=broad-except
            raise EncodingError from err

    def deserialize(self, data: bytes) -> Any:
        """One input from the request body (ingress stage): JSON."""
        try:
            return json.loads(data) if data else {}
        except Exception as err:  # pylint: disable=broad-except
            raise DecodingError from err

    def serialize_ipc(self, data: Any) -> bytes:
        """One output for the next stage when that is a Python stage too: pickle."""
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)

    def deserialize_ipc(self, data: bytes) -> Any:
        """One input from the stage before when that is a Python stage too: pickle."""
        return pickle.loads(data)

    def forward(self, data: Any) -> Any:
        """The stage's work: one output per input, in order."""
        raise NotImplementedError


class SSEWorker(Worker):
    """A stage that answers with Server-Sent Events, sent as they come."""

    resp_mime_type = "text/event-stream"
    _stream: Optional[Callable[[str, int], None]] = None

    def send_stream_event(self, text: str, index: int = 0) -> None:
        """Sends one event to the stream of the batch's input ``index`` (0 without batching)."""
        if self._stream is None:
            raise RuntimeError("the worker stream is not initialized")
        self._stream(text, index)
