"""`python -m harness.librenms_sim` as a real process: ready line, signals, port and argument errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]


def _start(*args, env_token="cli-token", **kwargs):  # noqa: S107 - a test token
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO)}
    if env_token:
        env["LIBRENMS_SIM_TOKEN"] = env_token
    return subprocess.Popen(
        [sys.executable, "-m", "harness.librenms_sim", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
    )


@pytest.fixture
def process():
    started = []

    def start(*args, **kwargs):
        proc = _start(*args, **kwargs)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _ready_url(proc) -> str:
    line = proc.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), line
    return line.removeprefix("listening on ")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_port_zero_ready_line_serves_and_stops_cleanly(process, stop):
    proc = process("--host", "127.0.0.1", "--port", "0", "--seed", "3", "--size", "50")
    url = _ready_url(proc)
    assert int(url.rsplit(":", 1)[1]) > 0
    response = requests.get(url + "/api/v0/devices", headers={"X-Auth-Token": "cli-token"}, timeout=10)
    assert response.status_code == 200 and response.json()["count"] == 50
    assert requests.get(url + "/api/v0/devices", headers={"X-Auth-Token": "x"}, timeout=10).status_code == 401
    proc.send_signal(stop)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "Traceback" not in err and out == ""


def test_token_on_the_command_line(process):
    proc = process("--port", "0", "--token", "argv-token", "--size", "40", env_token=None)
    url = _ready_url(proc)
    assert requests.get(url + "/api/v0/devices/1", headers={"X-Auth-Token": "argv-token"}, timeout=10).ok
    proc.terminate()
    assert proc.wait(timeout=15) == 0


def test_port_taken_is_one_line_and_exit_2(process):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = process("--port", str(port), "--size", "40")
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert f"127.0.0.1:{port}" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("args, env_token", [(("--host", "0.0.0.0"), "t"), ((), None)])  # noqa: S104
def test_refuses_non_loopback_and_missing_token(process, args, env_token):
    proc = process("--port", "0", *args, env_token=env_token)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
