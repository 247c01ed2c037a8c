"""Start and stop the harness's daemons: own process groups, pid files, loopback ports."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from harness.errors import HarnessError
from harness.settings import LOOPBACK


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def require_free_port(port: int, service: str) -> None:
    if port_in_use(port):
        raise HarnessError(
            f"{service}: port {LOOPBACK}:{port} is already taken by another process "
            f"(stop it or choose another port with the HARNESS_*_PORT variables)"
        )


def read_pid(pidfile: Path) -> Optional[int]:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def start_daemon(
    name: str, argv: list, log: Path, pidfile: Path, env: Optional[dict] = None, cwd: Optional[Path] = None
) -> subprocess.Popen:
    """Start argv in its own session so that stopping it takes its children too."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        try:
            proc = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=env, cwd=cwd, start_new_session=True,
            )
        except OSError as exc:
            raise HarnessError(f"{name}: cannot run {argv[0]}: {exc.strerror}") from None
    pidfile.write_text(str(proc.pid))
    return proc


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (created if missing) for the block; other holders wait."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def wait_until(name: str, ready: Callable[[], bool], timeout: float, proc=None, log: Optional[Path] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if proc is not None and proc.poll() is not None:
            raise HarnessError(f"{name}: exited with code {proc.returncode} while starting; see {log}")
        time.sleep(0.2)
    raise HarnessError(f"{name}: not ready after {timeout:.0f} s; see {log}")


def stop_pidfile(pidfile: Path, timeout: float = 15.0) -> bool:
    """SIGTERM the process group, then SIGKILL what is left. Returns whether something was running."""
    pid = read_pid(pidfile)
    with contextlib.suppress(FileNotFoundError):
        pidfile.unlink()
    if pid is None:
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        _signal_group(pid, signal.SIGKILL)
    return True


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        done = os.waitpid(pid, os.WNOHANG)[0]
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def run(name: str, argv: list, log: Optional[Path] = None, **kwargs) -> subprocess.CompletedProcess:
    """Run a setup command; on failure name the command and the log instead of a traceback."""
    try:
        if log is None:
            return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            return subprocess.run(argv, check=True, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    except FileNotFoundError:
        raise HarnessError(f"{name}: command not found: {argv[0]}") from None
    except subprocess.CalledProcessError as exc:
        tail = (exc.stderr or "").strip().splitlines()[-1:] if log is None else []
        where = f"; see {log}" if log else (f": {tail[0]}" if tail else "")
        command = " ".join(map(str, argv[:3]))
        raise HarnessError(f"{name}: `{command}` failed with code {exc.returncode}{where}") from None
