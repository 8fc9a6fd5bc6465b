"""Mosec's ``Server`` and ``Runtime``, so that a Mosec server script imports and declares its stages
unchanged. The server that runs them is the Spring Boot one: with ``mosec.python.server`` it runs
the script once to read what it declares (``python -m mosec._describe``), then starts each stage's
workers itself."""

from __future__ import annotations

import itertools
import json
import os
import sys
from typing import Dict, List, Optional, Type, Union

from mosec.worker import Worker

DESCRIBE = "MOSEC_SPRING_DESCRIBE"

_stage_ids = itertools.count(1)


class Runtime:
    """One stage: a worker class and how it runs, named as Mosec names it (``Class_<n>``)."""

    def __init__(self, worker: Type[Worker], num: int = 1, max_batch_size: int = 1, max_wait_time: int = 0,
                 timeout: float = 0.0, start_method: str = "spawn",
                 env: Optional[List[Dict[str, str]]] = None):  # pylint: disable=too-many-arguments
        if not (isinstance(worker, type) and issubclass(worker, Worker)):
            raise TypeError(f"{worker!r} is not a subclass of mosec.Worker")
        if num < 1 or max_batch_size < 1 or max_wait_time < 0 or timeout < 0:
            raise ValueError("num and max_batch_size must be at least 1, max_wait_time and timeout at least 0")
        self.worker = worker
        self.num = num
        self.max_batch_size = max_batch_size
        self.max_wait_time = max_wait_time
        self.timeout = float(timeout)
        self.start_method = start_method
        self.env = env
        self.name = f"{worker.__name__}_{next(_stage_ids)}"

    def describe(self, script: str) -> dict:
        """What the Spring Boot server needs to run this stage."""
        module = self.worker.__module__
        where = os.path.abspath(script) if module == "__main__" else module
        return {"name": self.name, "target": f"{where}:{self.worker.__qualname__}", "num": self.num,
                "max_batch_size": self.max_batch_size, "max_wait_time_ms": self.max_wait_time,
                "timeout_s": self.timeout, "env": self.env or []}


class Server:
    """Collects the stages and routes that a Mosec script declares."""

    def __init__(self) -> None:
        self.runtimes: List[Runtime] = []
        self.routes: Dict[str, List[Runtime]] = {}

    def append_worker(self, worker: Type[Worker], num: int = 1, max_batch_size: int = 1, max_wait_time: int = 0,
                      start_method: str = "spawn", env: Optional[List[Dict[str, str]]] = None, timeout: float = 0,
                      route: Union[str, List[str]] = "/inference") -> None:  # pylint: disable=too-many-arguments
        """Appends a stage to a route (or to each of several routes, which then share it)."""
        runtime = Runtime(worker, num, max_batch_size, max_wait_time, timeout, start_method, env)
        self.runtimes.append(runtime)
        for path in ([route] if isinstance(route, str) else route):
            self.routes.setdefault(path, []).append(runtime)

    def register_runtime(self, routes: Dict[str, List[Runtime]]) -> None:
        """Declares routes made of runtimes; a runtime in several routes is one shared stage."""
        if self.runtimes:
            raise RuntimeError("`register_runtime` can only be registered to an empty mosec server")
        for path, runtimes in routes.items():
            for runtime in runtimes:
                if runtime not in self.runtimes:
                    self.runtimes.append(runtime)
            self.routes[path] = list(runtimes)

    def run(self) -> None:
        """Under ``python -m mosec._describe``: prints what the script declared. Otherwise says how to serve it."""
        if os.environ.get(DESCRIBE):
            script = os.environ[DESCRIBE]
            print(json.dumps({"stages": [runtime.describe(script) for runtime in self.runtimes],
                              "routes": {path: [runtime.name for runtime in runtimes]
                                         for path, runtimes in self.routes.items()}}))
            sys.stdout.flush()
            raise SystemExit(0)
        raise SystemExit("This mosec package runs stages under mosec-spring-boot's server: start it with "
                         "--mosec.python.server=<this script>, or name each stage in mosec.stages.<name>.python")
