"""Reading a Mosec server script: what it declares, as the Spring Boot server reads it."""

import json
import os
import subprocess
import sys
import textwrap

from conftest import RUNTIME

ECHO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "mosec-server", "examples", "echo.py")


def describe(script, *args):
    return subprocess.run([sys.executable, "-m", "mosec._describe", script, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": RUNTIME}, timeout=60, check=False)


def test_reads_the_stages_their_settings_and_the_route_of_a_mosec_script():
    done = describe(ECHO, "--batch", "16")
    assert done.returncode == 0, done.stderr
    described = json.loads(done.stdout.strip().splitlines()[-1])
    assert [stage["name"] for stage in described["stages"]] == ["Preprocess_1", "Inference_2", "Postprocess_3"]
    inference = described["stages"][1]
    assert inference["target"] == f"{os.path.abspath(ECHO)}:Inference"
    assert (inference["max_batch_size"], inference["max_wait_time_ms"], inference["num"]) == (16, 5, 1)
    assert (described["stages"][2]["num"], described["stages"][2]["timeout_s"]) == (2, 2.0)
    assert described["routes"] == {"/inference": ["Preprocess_1", "Inference_2", "Postprocess_3"]}


def test_reads_shared_stages_of_several_routes(tmp_path):
    script = tmp_path / "routes.py"
    script.write_text(textwrap.dedent("""
        from mosec import Runtime, Server, Worker
        class Encode(Worker):
            def forward(self, data):
                return data
        class Answer(Worker):
            def forward(self, data):
                return data
        if __name__ == "__main__":
            encode = Runtime(Encode, num=2)
            server = Server()
            server.register_runtime({"/v1/a": [encode, Runtime(Answer)], "/v1/b": [encode]})
            server.run()
    """))
    described = json.loads(describe(str(script)).stdout)
    assert described["routes"] == {"/v1/a": ["Encode_1", "Answer_2"], "/v1/b": ["Encode_1"]}
    assert [stage["name"] for stage in described["stages"]] == ["Encode_1", "Answer_2"]


def test_says_why_a_script_declares_nothing(tmp_path):
    script = tmp_path / "empty.py"
    script.write_text("x = 1\n")
    done = describe(str(script))
    assert done.returncode == 2
    assert "never called Server.run()" in done.stderr
    assert "does not exist" in describe(str(tmp_path / "missing.py")).stderr
