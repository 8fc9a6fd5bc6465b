"""Mosec's Python worker API, served by mosec-spring-boot's server: the same names, so that a
Mosec stage runs unchanged."""

from mosec.errors import (ClientError, DecodingError, EncodingError, MosecError, MosecTimeoutError,
                          ServerError, ValidationError)
from mosec.log import get_logger
from mosec.server import Runtime, Server
from mosec.worker import SSEWorker, Worker

__all__ = [
    "ClientError", "DecodingError", "EncodingError", "MosecError", "MosecTimeoutError", "ServerError",
    "ValidationError", "Worker", "SSEWorker", "get_logger", "Server", "Runtime",
]
