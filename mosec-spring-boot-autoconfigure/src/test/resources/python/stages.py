"""Python stages for the end-to-end tests, written as a Mosec user writes them."""

import os

from mosec import ValidationError, Worker, get_logger

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
