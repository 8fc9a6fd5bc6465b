"""The Python stages of the benchmark suite: the same trivial stages as the Java echo app's, so
that the rows compare the process boundary and the runtime, not the work."""

import time

from mosec import Worker


class Echo(Worker):
    """Returns its input's bytes: no JSON either way, as the Java echo stage (byte[] in and out)."""

    def deserialize(self, data):
        return data

    def serialize(self, data):
        return data

    def forward(self, data):
        return data


class SleepBatch(Worker):
    """A fixed 20 ms per batch of up to 32, as the Java sleep stage."""

    def deserialize(self, data):
        return data

    def serialize(self, data):
        return data

    def forward(self, data):
        time.sleep(0.02)
        return data
