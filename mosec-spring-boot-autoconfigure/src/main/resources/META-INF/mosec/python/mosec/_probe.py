"""What the server asks of a Python stage before it starts its workers: does the class load with
this interpreter, and what is it? ``python -m mosec._probe path/to/file.py:Class``.

Prints one JSON line; on failure prints why to standard error and exits with 2, so that startup
stops at once with a message, never a hang until the startup timeout.
"""

from __future__ import annotations

import json
import sys

from mosec import _stage
from mosec.worker import SSEWorker


def main(argv: list) -> int:
    """Probes the stage named by ``argv[0]``; the exit status."""
    try:
        cls = _stage.load(argv[0])
    except ModuleNotFoundError as err:
        print(f"the module '{err.name}' is missing: install it for this interpreter "
              f"(on Debian: apt-get install python3-{err.name}), or set mosec.python.interpreter "
              "to one that has it", file=sys.stderr)
        return 2
    except Exception as err:  # pylint: disable=broad-except
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 2
    try:
        import msgpack  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ModuleNotFoundError:
        print("the module 'msgpack' is missing, which a Python stage needs next to a JVM one: install "
              "it for this interpreter (on Debian: apt-get install python3-msgpack), or set "
              "mosec.python.interpreter to one that has it", file=sys.stderr)
        return 2
    print(json.dumps({"streaming": issubclass(cls, SSEWorker), "mime": cls.resp_mime_type}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
