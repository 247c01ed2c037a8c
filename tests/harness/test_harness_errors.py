"""A bad environment stops the harness with one line saying what and where, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from harness.errors import HarnessError
from harness.process import require_free_port
from harness.settings import REPO_ROOT, find_python312, load_settings
from harness.system_packages import ensure_debian_package


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _harness_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], cwd=REPO_ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_missing_python312_is_one_line(monkeypatch, tmp_path):
    monkeypatch.delenv("PYTHON312", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    with pytest.raises(HarnessError, match=r"^Python 3\.12 not found: set PYTHON312"):
        find_python312()


def test_missing_python312_through_the_cli(tmp_path):
    done = _harness_cli("python312", PATH=f"{tmp_path}:/usr/bin:/bin", PYENV_ROOT=str(tmp_path), PYTHON312="")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["harness: Python 3.12 not found: set PYTHON312 or install it "
                                                "(pyenv install 3.12)"]


def test_apt_unavailable_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HarnessError) as caught:
        ensure_debian_package("redis-server", "redis-server-that-is-not-here")
    assert str(caught.value) == (
        "redis-server is not installed (redis-server-that-is-not-here missing) "
        "and apt-get is not available to install it"
    )


def test_a_taken_port_is_named(taken_port):
    with pytest.raises(HarnessError, match=rf"redis: port 127\.0\.0\.1:{taken_port} is already taken"):
        require_free_port(taken_port, "redis")


def test_up_with_a_taken_port_stops_with_one_line(taken_port, tmp_path):
    done = _harness_cli("up", HARNESS_REDIS_PORT=str(taken_port), NETBOX_LIBRENMS_CACHE=str(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"harness: redis: port 127.0.0.1:{taken_port} is already taken")
    assert "Traceback" not in done.stdout + done.stderr


def test_a_bad_port_variable_is_named(monkeypatch):
    monkeypatch.setenv("HARNESS_NETBOX_PORT", "http")
    with pytest.raises(HarnessError, match=r"HARNESS_NETBOX_PORT='http' is not a TCP port number"):
        load_settings()
