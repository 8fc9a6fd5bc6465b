"""The errors a stage raises, with Mosec's names, status codes and messages."""

from http import HTTPStatus


class MosecError(Exception):
    """Base of the errors that map to a status code."""

    code: int = HTTPStatus.INTERNAL_SERVER_ERROR
    msg: str = "mosec error"


class ClientError(MosecError):
    """The request is wrong: 400."""

    code = HTTPStatus.BAD_REQUEST
    msg = "bad request"


class ServerError(MosecError):
    """The stage failed: 500."""

    code = HTTPStatus.INTERNAL_SERVER_ERROR
    msg = "internal error"


class EncodingError(ServerError):
    """The output cannot be encoded: 500."""

    msg = "encoding error"


class DecodingError(ClientError):
    """The input cannot be decoded: 400."""

    msg = "decoding error"


class ValidationError(MosecError):
    """The input is invalid: 422."""

    code = HTTPStatus.UNPROCESSABLE_ENTITY
    msg = "request validation error"


class MosecTimeoutError(BaseException):
    """The stage gave up on its own deadline: 408. A BaseException, as in Mosec."""

    code = HTTPStatus.REQUEST_TIMEOUT
    msg = "mosec timeout error"
