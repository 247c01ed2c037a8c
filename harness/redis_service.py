"""Redis from Debian's package, on its own loopback port and data directory."""

from __future__ import annotations

import subprocess

from harness.process import port_in_use, read_pid, require_free_port, start_daemon, stop_pidfile, wait_until
from harness.settings import LOOPBACK, Settings
from harness.system_packages import ensure_debian_package


def _paths(settings: Settings):
    base = settings.run_dir / "redis"
    return base, base / "redis.pid", base / "redis.log"


def redis_url(settings: Settings, db: int = 0) -> str:
    return f"redis://{LOOPBACK}:{settings.redis_port}/{db}"


def start_redis(settings: Settings) -> None:
    base, pidfile, log = _paths(settings)
    if read_pid(pidfile) and port_in_use(settings.redis_port):
        return
    ensure_debian_package("redis-server", "redis-server")
    require_free_port(settings.redis_port, "redis")
    base.mkdir(parents=True, exist_ok=True)
    argv = [
        "redis-server", "--bind", LOOPBACK, "--port", str(settings.redis_port), "--dir", str(base),
        "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no",
    ]
    proc = start_daemon("redis", argv, log, pidfile)
    wait_until("redis", lambda: _pong(settings), 20, proc, log)


def _pong(settings: Settings) -> bool:
    try:
        out = subprocess.run(
            ["redis-cli", "-h", LOOPBACK, "-p", str(settings.redis_port), "ping"],
            capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.stdout.strip() == "PONG"


def stop_redis(settings: Settings) -> None:
    pidfile = _paths(settings)[1]
    stop_pidfile(pidfile)
