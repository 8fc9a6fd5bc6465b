"""Logging for stages: plain lines on standard output, which the server tags with the stage and
the worker and writes to its own log."""

import logging
import sys

_FORMAT = "%(levelname)s %(name)s: %(message)s"


def get_logger() -> logging.Logger:
    """The logger for a stage's own messages, as Mosec's ``get_logger``."""
    return _configured("mosec.user")


def runtime_logger() -> logging.Logger:
    """The logger of this runtime's own messages."""
    return _configured("mosec.runtime")


def _configured(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
