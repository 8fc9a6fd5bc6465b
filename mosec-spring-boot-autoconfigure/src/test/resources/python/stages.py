"""Python stages for the end-to-end tests, written as a Mosec user writes them."""

import os
import time

from mosec import MosecTimeoutError, SSEWorker, ValidationError, Worker, get_logger

logger = get_logger()


class Echo(Worker):
    """Answers with its input, its worker id and its pid; refuses a negative value."""

    example = {"value": 0}

    def forward(self, data):
        if data.get("value", 0) < 0:
            raise ValidationError("value must not be negative")
        if data.get("log"):
            logger.info("echo logs %s", data["log"])
        return {"echo": data, "worker": self.worker_id, "pid": os.getpid()}


class Doubler(Worker):
    """Doubles values in batches; between JVM stages, so msgpack both ways."""

    def forward(self, data):
        return [{"value": item["value"] * 2, "batch": len(data)} for item in data]


class Words(Worker):
    """Splits a text into a tuple of words: only pickle keeps a tuple a tuple."""

    def forward(self, data):
        return tuple(data["text"].split())


class Count(Worker):
    """Counts the words of the stage before, and says what type they came as."""

    def forward(self, data):
        return {"words": len(data), "type": type(data).__name__}


class Tokens(SSEWorker):
    """Streams tokens; notes how many it sent when its stream ends, however it ends."""

    def forward(self, data):
        sent = 0
        try:
            for n in range(data["n"]):
                self.send_stream_event(f"token {n}")
                sent += 1
                time.sleep(data.get("pause", 0))
        finally:
            if data.get("stopped"):
                with open(data["stopped"], "w", encoding="utf-8") as stopped:
                    stopped.write(str(sent))


class Slow(Worker):
    """Sleeps as long as it is asked, or gives up on a deadline of its own."""

    def forward(self, data):
        if data.get("give_up"):
            raise MosecTimeoutError("gave up after my own deadline")
        time.sleep(data.get("sleep", 0))
        return {"slept": data.get("sleep", 0), "pid": os.getpid()}


class Observed(Worker):
    """Records meters of its own, and answers with the trace context the server gave its input."""

    def __init__(self):
        super().__init__()
        from mosec import metrics  # pylint: disable=import-outside-toplevel
        self.texts = metrics.counter("py.stage.texts", "Texts seen", tags={"model": "test"})
        self.inference = metrics.timer("py.stage.inference")

    def forward(self, data):
        self.texts.increment()
        with self.inference.time():
            return {"trace": self.trace_context().get("traceparent")}
