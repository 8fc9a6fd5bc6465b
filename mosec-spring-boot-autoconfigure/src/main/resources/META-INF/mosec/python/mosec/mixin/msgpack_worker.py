"""msgpack request and response bodies."""

from typing import Any

from mosec.errors import DecodingError, EncodingError


class MsgpackMixin:
    """Reads the request body and writes the response body as msgpack."""

    resp_mime_type = "application/msgpack"

    def serialize(self, data: Any) -> bytes:
        """The response body, msgpack."""
        import msgpack  # pylint: disable=import-outside-toplevel
        try:
            return msgpack.packb(data, use_bin_type=True)
        except Exception as err:  # pylint: disable=broad-except
            raise EncodingError from err

    def deserialize(self, data: bytes) -> Any:
        """One input from the request body, msgpack."""
        import msgpack  # pylint: disable=import-outside-toplevel
        try:
            return msgpack.unpackb(data, raw=False)
        except Exception as err:  # pylint: disable=broad-except
            raise DecodingError from err
