"""The LibreNMS API simulator as its own process on loopback (real sockets, like the real API)."""

from __future__ import annotations

import secrets
import sys

from harness.process import port_in_use, read_pid, require_free_port, start_daemon, stop_pidfile, wait_until
from harness.settings import LOOPBACK, REPO_ROOT, Settings


def start_simulator(settings: Settings, token: str = "") -> dict:
    pidfile = settings.run_dir / "librenms-sim.pid"
    log = settings.run_dir / "librenms-sim.log"
    url = f"http://{LOOPBACK}:{settings.librenms_port}"
    if token and read_pid(pidfile) and port_in_use(settings.librenms_port):
        return {"url": url, "token": token}
    stop_pidfile(pidfile)
    require_free_port(settings.librenms_port, "librenms simulator")
    token = secrets.token_hex(16)
    argv = [
        sys.executable, "-m", "harness.librenms_sim", "--host", LOOPBACK, "--port", str(settings.librenms_port),
        "--seed", str(settings.librenms_seed), "--size", str(settings.librenms_size),
        "--front-ports", str(settings.librenms_front_ports),
    ]
    env = {"PATH": "/usr/bin:/bin", "LIBRENMS_SIM_TOKEN": token, "PYTHONPATH": str(REPO_ROOT)}
    proc = start_daemon("librenms simulator", argv, log, pidfile, env=env, cwd=REPO_ROOT)
    wait_until("librenms simulator", lambda: port_in_use(settings.librenms_port), 60, proc, log)
    return {"url": url, "token": token}


def stop_simulator(settings: Settings) -> None:
    stop_pidfile(settings.run_dir / "librenms-sim.pid")
