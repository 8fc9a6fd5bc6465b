"""The socket protocol: Mosec's frame layout, the server's flags, error payloads.

A frame is ``u16 flag, u16 n, n x (u32 id, u16 state, u32 length, bytes)``, big-endian. The flag
values are the server's (``io.mosec.spring.protocol.Flags``); ``tests/test_protocol.py`` pins them.
"""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass
from typing import List, Optional

INGRESS = 1
EGRESS = 2
PICKLE_IN = 16
PICKLE_OUT = 32
TRACE = 1 << 10
METRICS = 1 << 11
CANCEL = 1 << 12
STREAM_EVENT = 1 << 13
HELLO = 1 << 14

OK = 1
BAD_REQUEST = 2
VALIDATION_ERROR = 4
INTERNAL_ERROR = 8
TIMEOUT = 16

_HEADER = struct.Struct("!HH")
_ITEM = struct.Struct("!IHI")


@dataclass(frozen=True)
class Item:
    """One task of a frame."""

    id: int
    state: int
    payload: bytes


@dataclass(frozen=True)
class Frame:
    """A batch, its reply, or a control frame."""

    flag: int
    items: List[Item]


def encode(frame: Frame) -> bytes:
    """The frame's bytes on the wire."""
    parts = [_HEADER.pack(frame.flag, len(frame.items))]
    for item in frame.items:
        parts.append(_ITEM.pack(item.id, item.state, len(item.payload)))
        parts.append(item.payload)
    return b"".join(parts)


def error_payload(detail: str) -> bytes:
    """The payload of a failed item: the server's error report (JSON)."""
    return json.dumps({"detail": detail, "errors": []}).encode()


class Channel:
    """Frames over a connected socket, read whole and written whole."""

    def __init__(self, sock: socket.socket, max_item_bytes: int = 1 << 30):
        self._sock = sock
        self._max_item_bytes = max_item_bytes
        self._file = sock.makefile("rb")

    def read(self) -> Optional[Frame]:
        """The next frame, or None when the server closed the connection between frames."""
        header = self._file.read(_HEADER.size)
        if not header:
            return None
        if len(header) < _HEADER.size:
            raise EOFError("the connection closed in the middle of a frame")
        flag, count = _HEADER.unpack(header)
        items = []
        for _ in range(count):
            head = self._exactly(_ITEM.size)
            task_id, state, length = _ITEM.unpack(head)
            if length > self._max_item_bytes:
                raise ValueError(f"frame item claims {length} bytes, more than {self._max_item_bytes}")
            items.append(Item(task_id, state, self._exactly(length)))
        return Frame(flag, items)

    def write(self, frame: Frame) -> None:
        """Writes a frame; callers that write from several threads hold one lock around it."""
        self._sock.sendall(encode(frame))

    def close(self) -> None:
        """Closes the connection."""
        self._file.close()
        self._sock.close()

    def _exactly(self, size: int) -> bytes:
        data = self._file.read(size)
        if data is None or len(data) < size:
            raise EOFError("the connection closed in the middle of a frame")
        return data
