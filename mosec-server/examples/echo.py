"""A Mosec server script: three stages on /inference, the middle one batched.

Serve it with: java -jar mosec-server/target/mosec-server-0.1.0-SNAPSHOT.jar --mosec.python.server=mosec-server/examples/echo.py
and try: curl -s localhost:8000/inference -d '{"time": 0.1}'
"""

import argparse
import time
from typing import List

from mosec import Server, ValidationError, Worker, get_logger

logger = get_logger()


class Preprocess(Worker):
    """Reads the sleep time."""

    example = {"time": 0}

    def forward(self, data: dict) -> float:
        try:
            return float(data["time"])
        except KeyError as err:
            raise ValidationError(f"cannot find key {err}") from err


class Inference(Worker):
    """Sleeps for the longest time of its batch."""

    example = (0, 1e-5, 2e-4)

    def forward(self, data: List[float]) -> List[float]:
        time.sleep(max(data))
        return data


class Postprocess(Worker):
    """Says how long it slept."""

    def forward(self, data: float) -> dict:
        return {"msg": f"sleep {data} seconds"}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=32)
    args, _ = parser.parse_known_args()
    server = Server()
    server.append_worker(Preprocess)
    server.append_worker(Inference, max_batch_size=args.batch, max_wait_time=5)
    server.append_worker(Postprocess, num=2, timeout=2)
    server.run()
