import socket

import pytest

from mosec import protocol


def test_a_frame_survives_the_wire_byte_for_byte():
    frame = protocol.Frame(protocol.OK, [protocol.Item(7, protocol.INGRESS, b"{}"), protocol.Item(8, 0, b"")])
    data = protocol.encode(frame)
    assert data[:4] == b"\x00\x01\x00\x02"
    assert data[4:14] == b"\x00\x00\x00\x07\x00\x01\x00\x00\x00\x02"
    left, right = socket.socketpair()
    with left, right:
        left.sendall(data)
        assert protocol.Channel(right).read() == frame


def test_a_closed_connection_between_frames_reads_as_none_and_mid_frame_as_an_error():
    left, right = socket.socketpair()
    left.sendall(protocol.encode(protocol.Frame(0, [protocol.Item(1, 0, b"abc")]))[:8])
    left.close()
    with right, pytest.raises(EOFError):
        protocol.Channel(right).read()
    left, right = socket.socketpair()
    left.close()
    with right:
        assert protocol.Channel(right).read() is None


def test_an_item_longer_than_the_limit_is_refused_before_it_is_read():
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"\x00\x00\x00\x01" + b"\x00\x00\x00\x01\x00\x00\x7f\xff\xff\xff")
        with pytest.raises(ValueError, match="more than"):
            protocol.Channel(right, max_item_bytes=1024).read()


def test_the_flags_are_the_servers():
    # io.mosec.spring.protocol.Flags; a change there must change here.
    assert (protocol.INGRESS, protocol.EGRESS, protocol.PICKLE_IN, protocol.PICKLE_OUT) == (1, 2, 16, 32)
    assert (protocol.TRACE, protocol.METRICS, protocol.CANCEL, protocol.STREAM_EVENT, protocol.HELLO) == (
        1024, 2048, 4096, 8192, 16384)
    assert (protocol.OK, protocol.BAD_REQUEST, protocol.VALIDATION_ERROR, protocol.INTERNAL_ERROR,
            protocol.TIMEOUT) == (1, 2, 4, 8, 16)
