"""The harness from a newcomer's clone: a checkout other users cannot traverse, and a start that fails halfway."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness.process import port_in_use
from harness.settings import PORT_VARIABLES, REPO_ROOT, load_settings


def _free_ports(count: int) -> list:
    sockets = [socket.socket() for _index in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _harness(checkout: Path, run_dir: Path, ports: dict, command: str, module: str = "harness",
             **variables: str) -> subprocess.CompletedProcess:
    # The shared cache brings the installed NetBox and its migrated snapshot; the run directory (and with
    # it everything PostgreSQL would have kept there) is the clone's own, as on a newcomer's machine.
    env = dict(os.environ, NETBOX_LIBRENMS_CACHE=str(load_settings().cache_dir), HARNESS_RUN_DIR=str(run_dir),
               HARNESS_NETBOX_WORKERS="1", **{name: str(port) for name, port in ports.items()}, **variables)
    return subprocess.run([sys.executable, "-m", module, *filter(None, [command])], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")
def test_a_clone_in_a_directory_other_users_cannot_traverse_brings_the_harness_up(services, tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    checkout = home / "netbox_librenms_sync"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(checkout)], check=True, timeout=120)
    blocked = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(home)], check=False)
    assert blocked.returncode != 0, "the postgres user can traverse the clone's parent: the test proves nothing"
    ports = dict(zip(PORT_VARIABLES, _free_ports(len(PORT_VARIABLES))))
    run_dir = checkout / ".cache" / "run"
    try:
        started = _harness(checkout, run_dir, ports, "up")
        assert started.returncode == 0, started.stderr
        status = _harness(checkout, run_dir, ports, "status")
        assert status.stdout.count(" up (") == 4, status.stdout
    finally:
        _harness(checkout, run_dir, ports, "down")
    assert not any(port_in_use(port) for port in ports.values())


def test_a_start_that_fails_halfway_leaves_no_service_running(services, tmp_path):
    ports = dict(zip(PORT_VARIABLES, _free_ports(len(PORT_VARIABLES))))
    with socket.socket() as squatter:  # NetBox's port is taken: Redis and PostgreSQL start, NetBox cannot
        squatter.bind(("127.0.0.1", ports["HARNESS_NETBOX_PORT"]))
        squatter.listen()
        started = _harness(REPO_ROOT, tmp_path / "run", ports, "up")
        assert started.returncode == 1
        assert started.stderr.startswith("harness: netbox: port"), started.stderr
        assert not port_in_use(ports["HARNESS_REDIS_PORT"])
        assert not port_in_use(ports["HARNESS_POSTGRES_PORT"])
    _harness(REPO_ROOT, tmp_path / "run", ports, "down")


def test_make_demo_writes_the_html_review_reports_and_prints_their_paths(services, tmp_path):
    ports = dict(zip(PORT_VARIABLES, _free_ports(len(PORT_VARIABLES))))
    run_dir = tmp_path / "run"
    try:
        # 60 devices with 4 access ports each (the fewest the simulator makes) hold every special case of the
        # estate; the full 300 with 8 (what `make demo` shows) take minutes more of one NetBox worker to sync.
        demo = _harness(REPO_ROOT, run_dir, ports, "", module="harness.demo", HARNESS_LIBRENMS_SIZE="60",
                        HARNESS_LIBRENMS_FRONT_PORTS="4")
        assert demo.returncode == 0, demo.stderr[-2000:]
        printed = [line.split(": ", 1)[1] for line in demo.stdout.splitlines() if line.startswith("Review report")]
        assert [Path(path).name for path in printed] == ["review-first-run.html", "review-second-run.html"]
        for path in printed:
            assert Path(path).read_text().lstrip().lower().startswith("<!doctype html>")
        in_netbox = next(line for line in demo.stdout.splitlines() if line.startswith("In NetBox: "))
        counts = {what: int(count) for count, what in
                  (part.split(" ", 1) for part in in_netbox.removeprefix("In NetBox: ").split(", "))}
        for synced in ("interfaces", "MAC addresses", "IP addresses", "devices with a primary IP", "cables"):
            assert counts[synced] > 0, in_netbox
    finally:
        _harness(REPO_ROOT, run_dir, ports, "down")
