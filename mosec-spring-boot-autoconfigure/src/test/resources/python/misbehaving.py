"""A stage whose worker breaks the protocol as $MISBEHAVE says, for the tests of what the server
does about it; without MISBEHAVE it is a plain echo stage."""

import os

from mosec import Worker, protocol


def _misbehave(how: str) -> None:
    write = protocol.Channel.write

    def misbehaving(self, frame):
        if how == "no-hello" and frame.flag == protocol.HELLO:
            return  # connects, then says nothing
        if how == "garbage" and frame.flag == protocol.OK:
            self._sock.sendall(b"\xff" * 64)  # a header claiming 65,535 items of 4 GiB each
            return
        write(self, frame)
        if how == "stray-reply" and frame.flag == protocol.OK:
            # The same reply again: a reply for a batch it was not given.
            write(self, frame)

    protocol.Channel.write = misbehaving


class Echo(Worker):
    """Answers with its input and its pid."""

    def __init__(self):
        super().__init__()
        if os.environ.get("MISBEHAVE"):
            _misbehave(os.environ["MISBEHAVE"])

    def forward(self, data):
        return {"echo": data, "pid": os.getpid()}
