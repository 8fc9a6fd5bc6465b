"""What a Mosec server script declares, for the Spring Boot server:
``python -m mosec._describe script.py [script arguments]`` runs the script as ``__main__`` with the
recording ``Server``, whose ``run()`` prints its stages and routes as one JSON line."""

from __future__ import annotations

import os
import runpy
import sys


def main(argv: list) -> int:
    """Runs the script; the exit status (2 when it declared nothing or failed)."""
    if not argv:
        print("usage: python -m mosec._describe script.py [arguments]", file=sys.stderr)
        return 2
    script = os.path.abspath(argv[0])
    if not os.path.isfile(script):
        print(f"the script {script} does not exist", file=sys.stderr)
        return 2
    os.environ["MOSEC_SPRING_DESCRIBE"] = script
    sys.argv = [script] + argv[1:]
    sys.path.insert(0, os.path.dirname(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as done:
        if done.code in (0, None):
            return 0
        print(done.code if isinstance(done.code, str) else f"the script exited with {done.code}", file=sys.stderr)
        return 2
    print(f"{script} never called Server.run(): it declares no stages", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
