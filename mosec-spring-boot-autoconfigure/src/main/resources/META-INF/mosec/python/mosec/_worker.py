"""A Python stage's worker process, launched by the server: ``python -m mosec._worker``.

It loads the stage class, warms it up, connects to the stage's socket and says hello (a
connection means ready), then answers one batch at a time until the socket closes or the server
dies, and exits.
"""

from __future__ import annotations

import argparse
import os
import queue
import socket
import sys
import threading
import time
from typing import Optional, Set, Tuple

from mosec import _stage, metrics, protocol
from mosec.log import runtime_logger
from mosec.errors import ClientError
from mosec.worker import SSEWorker, Worker


class StreamClosed(ClientError):
    """Raised by ``send_stream_event`` once every client of the batch has gone."""

    msg = "client closed the request"

PARENT_POLL_SECONDS = 0.25


def main(argv: Optional[list] = None) -> int:
    """Runs the worker; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m mosec._worker")
    parser.add_argument("--target", required=True, help="path/to/file.py:Class or module:Class")
    parser.add_argument("--stage", required=True)
    parser.add_argument("--worker-id", type=int, required=True)
    parser.add_argument("--max-batch-size", type=int, default=1)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--parent-pid", type=int, required=True)
    args = parser.parse_args(argv)
    _watch_parent(args.parent_pid)
    logger = runtime_logger()
    started = time.monotonic()
    worker = _stage.load(args.target)()
    worker.worker_id = args.worker_id
    worker.max_batch_size = args.max_batch_size
    worker.stage = args.stage
    try:
        examples = _stage.warm_up(worker)
    except Exception:  # pylint: disable=broad-except
        # As in Mosec: a warm-up that fails is logged and the worker serves all the same.
        logger.exception("stage '%s' failed its warm-up; check that its example is what forward takes", args.stage)
        examples = 0
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(args.socket)
    channel = protocol.Channel(sock)
    lock = threading.Lock()

    def send(frame: protocol.Frame) -> None:
        # Replies and stream events leave from different threads; a frame goes out whole.
        with lock:
            channel.write(frame)

    send(protocol.Frame(protocol.HELLO, [protocol.Item(args.worker_id, 0, str(os.getpid()).encode())]))
    metrics.Reporter(metrics.REGISTRY, lambda snapshot: send(
        protocol.Frame(protocol.METRICS, [protocol.Item(args.worker_id, 0, snapshot)]))).start()
    logger.info("warmed up: %d example(s) in %d ms; connected, ready", examples,
                (time.monotonic() - started) * 1000)
    try:
        if isinstance(worker, SSEWorker):
            _serve_streams(worker, channel, send)
        else:
            _serve(worker, channel, send)
    except (EOFError, ConnectionError, OSError) as err:
        logger.info("the server closed the connection: %s", err)
    return 0


def _serve(worker: Worker, channel: protocol.Channel, send) -> None:
    contexts: dict = {}
    while True:
        frame = channel.read()
        if frame is None:
            return
        if frame.flag == protocol.TRACE:
            # The contexts of the batch that follows.
            contexts = _stage.traces(frame)
            continue
        if frame.flag == protocol.CANCEL:
            continue  # only streaming stages stop early
        send(_stage.run(worker, frame, contexts))
        contexts = {}


def _serve_streams(worker: SSEWorker, channel: protocol.Channel, send) -> None:
    """A streaming stage reads while it runs: a reader thread takes every frame (cancels at
    once, batches handed over) and this thread runs the batches."""
    batches: "queue.Queue[Optional[Tuple[protocol.Frame, dict]]]" = queue.Queue()
    running: Set[int] = set()
    cancelled: Set[int] = set()
    tasks: list = []

    def read() -> None:
        contexts: dict = {}
        try:
            while True:
                frame = channel.read()
                if frame is None:
                    break
                if frame.flag == protocol.CANCEL:
                    cancelled.update(item.id for item in frame.items if item.id in running)
                elif frame.flag == protocol.TRACE:
                    contexts = _stage.traces(frame)
                else:
                    running.clear()
                    cancelled.clear()
                    running.update(item.id for item in frame.items)
                    batches.put((frame, contexts))
                    contexts = {}
        except (EOFError, ConnectionError, OSError):
            pass
        batches.put(None)

    def stream(text: str, index: int = 0) -> None:
        task_id = tasks[index]
        if task_id not in cancelled:
            send(protocol.Frame(protocol.STREAM_EVENT, [protocol.Item(task_id, protocol.OK, text.encode())]))
        elif cancelled.issuperset(tasks):
            # Nobody listens to any stream of the batch: stop forward, free the worker. With a client
            # still listening, a gone one's events are dropped instead, and its batch-mates go on.
            raise StreamClosed("every client of this batch has gone")

    worker._stream = stream  # pylint: disable=protected-access
    threading.Thread(target=read, name="mosec-reader", daemon=True).start()
    while True:
        taken = batches.get()
        if taken is None:
            return
        batch, contexts = taken
        tasks[:] = [item.id for item in batch.items]
        reply = _stage.run(worker, batch, contexts)
        # A stream that ended well has an empty payload: its events went out already.
        send(protocol.Frame(reply.flag, [protocol.Item(item.id, item.state, b"") if item.state == protocol.OK
                                          else item for item in reply.items]))


def _watch_parent(parent_pid: int) -> None:
    """Exits when the server dies, even by ``kill -9``: no worker outlives its server."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)  # pylint: disable=protected-access

    threading.Thread(target=watch, name="mosec-parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
