"""Real `rq worker` processes for the background-job tests: started with a chosen environment, awaited until
Redis knows them, and killed at teardown with everything they forked (no process is left behind).

    manager = Workers(redis_url, base_env, log_dir)
    worker = manager.start(env={"LIBRENMS_TOKEN": ...})   # registered and subscribed when it returns
    manager.kill(worker)                                   # SIGKILL the worker and its work horse
    manager.stop_all()                                     # teardown

Each worker runs in a session of its own (`start_new_session`), so its work horse (RQ forks it and moves it to a
process group of its own) can still be found by session id after the worker itself is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import psutil
import pytest
import redis

from harness.settings import REPO_ROOT

RQ = str(REPO_ROOT / ".venv" / "bin" / "rq")
QUEUES = ("netbox_librenms.high", "netbox_librenms.default", "netbox_librenms.low")
# The collection is importable as ansible_collections.netbox_librenms.sync through the gitignored tree.
COLLECTIONS = str(REPO_ROOT / "collections")
# What a worker may inherit from the test's environment; credentials are always given explicitly.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")


class WorkerProcess:
    def __init__(self, name: str, proc: subprocess.Popen, log: Path) -> None:
        self.name = name
        self.proc = proc
        self.log = log

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def horse_pids(self) -> List[int]:
        """The work horses running now (children of the worker)."""
        try:
            return [child.pid for child in psutil.Process(self.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []


def _kill_all(processes) -> None:
    """SIGKILL every process given; one that is already gone is fine."""
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGKILL)


def _session_members(sid: int) -> List[psutil.Process]:
    found = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if os.getsid(process.pid) == sid and process.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


class Workers:
    def __init__(self, redis_url: str, base_env: Dict[str, str], log_dir: Path) -> None:
        self.redis_url = redis_url
        self.base_env = dict(base_env)
        self.log_dir = log_dir
        self.redis = redis.Redis.from_url(redis_url)
        self.started: List[WorkerProcess] = []

    def start(self, env: Optional[Dict[str, str]] = None, queues: Iterable[str] = QUEUES, *extra: str,
              credentials: bool = True, timeout: float = 30) -> WorkerProcess:
        """A worker listening on `queues`, registered in Redis and subscribed to its command channel.

        With credentials=False the worker gets no LIBRENMS_*/NETBOX_* variable from base_env (only `env`).
        """
        name = f"nlt-{uuid.uuid4().hex[:10]}"
        full_env = {key: os.environ[key] for key in _INHERITED if key in os.environ}
        if credentials:
            full_env.update(self.base_env)
        full_env.update(env or {})
        full_env["PYTHONPATH"] = COLLECTIONS
        full_env["NETBOX_LIBRENMS_CREDENTIALS"] = full_env.get("NETBOX_LIBRENMS_CREDENTIALS",
                                                               str(self.log_dir / "no-credentials-file.yml"))
        log = self.log_dir / f"{name}.log"
        with open(log, "wb") as handle:
            proc = subprocess.Popen(
                [RQ, "worker", "--url", self.redis_url, "--name", name, *extra, *queues],
                env=full_env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=str(self.log_dir),
            )
        worker = WorkerProcess(name, proc, log)
        self.started.append(worker)
        deadline = time.monotonic() + timeout
        while not self.is_listening(worker):
            if proc.poll() is not None or time.monotonic() > deadline:
                self.stop(worker)
                pytest.fail(f"rq worker {name} did not register within {timeout:g} s:\n{worker.log_text()[-3000:]}")
            time.sleep(0.1)
        return worker

    def is_listening(self, worker: WorkerProcess) -> bool:
        """Registered (its hash and the workers set) and subscribed to rq:pubsub:<name> (it takes commands)."""
        key = f"rq:worker:{worker.name}"
        if not self.redis.exists(key) or self.redis.hexists(key, "death"):
            return False
        channel = f"rq:pubsub:{worker.name}"
        return any(count for _name, count in self.redis.pubsub_numsub(channel))

    def kill(self, worker: WorkerProcess) -> None:
        """SIGKILL the worker and its work horse at once, as a lost host would: nothing gets to clean up."""
        members = _session_members(worker.pid)
        _kill_all(members)
        worker.proc.wait(timeout=10)
        psutil.wait_procs(members, timeout=10)

    def stop(self, worker: WorkerProcess, timeout: float = 10) -> None:
        """SIGTERM (RQ's warm shutdown), then SIGKILL whatever is left of its session."""
        if worker.proc.poll() is None:
            worker.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.proc.wait(timeout=timeout)
        leftovers = _session_members(worker.pid)
        _kill_all(leftovers)
        psutil.wait_procs(leftovers, timeout=10)
        if worker.proc.poll() is None:
            worker.proc.kill()
        worker.proc.wait(timeout=10)

    def stop_all(self) -> None:
        for worker in self.started:
            self.stop(worker, timeout=5)
        self.started.clear()

    @staticmethod
    def alive(workers: Iterable[WorkerProcess]) -> List[int]:
        """Pids still running from these workers' sessions (none once they are stopped)."""
        pids = []
        for worker in workers:
            pids += [process.pid for process in _session_members(worker.pid)]
        return pids
