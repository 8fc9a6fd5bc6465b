"""Mosec's ``Server`` and ``Runtime``, so that a Mosec server script imports and declares its stages
unchanged. The server that runs them is the Spring Boot one (``mosec.python.*`` properties)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Type, Union

from mosec.worker import Worker


@dataclass
class Runtime:
    """One stage: a worker class and how it runs."""

    worker: Type[Worker]
    num: int = 1
    max_batch_size: int = 1
    max_wait_time: int = 10
    timeout: int = 3000
    env: Optional[List[Dict[str, str]]] = None

    @property
    def name(self) -> str:
        """The stage's name: the class's, as Mosec names a stage."""
        return self.worker.__name__


@dataclass
class Server:
    """Collects the stages and routes that a Mosec script declares."""

    runtimes: List[Runtime] = field(default_factory=list)
    routes: Dict[str, List[Runtime]] = field(default_factory=dict)

    def append_worker(self, worker: Type[Worker], num: int = 1, max_batch_size: int = 1,
                      max_wait_time: int = 10, timeout: int = 3000, start_method: str = "spawn",
                      env: Optional[List[Dict[str, str]]] = None, route: Union[str, List[str]] = "/inference"
                      ) -> None:  # pylint: disable=too-many-arguments,unused-argument
        """Appends a stage to the default route (or to the routes named)."""
        runtime = Runtime(worker, num, max_batch_size, max_wait_time, timeout, env)
        self.runtimes.append(runtime)
        for path in [route] if isinstance(route, str) else route:
            self.routes.setdefault(path, []).append(runtime)

    def register_runtime(self, routes: Dict[str, List[Runtime]]) -> None:
        """Declares routes made of runtimes."""
        for path, runtimes in routes.items():
            for runtime in runtimes:
                if runtime not in self.runtimes:
                    self.runtimes.append(runtime)
            self.routes[path] = list(runtimes)

    def run(self) -> None:
        """Serving is the Spring Boot server's job: it says how."""
        raise SystemExit("This mosec package runs stages under mosec-spring-boot's server: start it with "
                         "--mosec.python.server=<this script>, or name each stage in mosec.stages.<name>.python")
