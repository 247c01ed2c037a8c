"""Molecule prepare and destroy for the import role: one `rq worker` for the background import of converge.

    python rq_worker.py start <state dir>   # returns once Redis lists the worker on the collection's queues
    python rq_worker.py stop <state dir>    # stops it (and its work horse) if it runs

Run from the repository root with it on PYTHONPATH, and the HARNESS_* variables of the stack in the environment.
The worker gets the harness's tokens through its environment, never its command line, and imports the collection
through the checkout's gitignored collections/ tree, as a worker installed by the worker role would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Queue, Worker

from harness import stack
from harness.process import start_daemon, stop_pidfile
from harness.settings import REPO_ROOT, load_settings

QUEUES = ["netbox_librenms.high", "netbox_librenms.default", "netbox_librenms.low"]
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def start(state_dir: Path) -> int:
    endpoints = stack.read_endpoints(load_settings())
    if not endpoints:
        print("no harness endpoints: start the services first", file=sys.stderr)
        return 1
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(
        PYTHONPATH=str(REPO_ROOT / "collections"),
        RQ_REDIS_URL=endpoints["redis"]["url"],
        LIBRENMS_URL=endpoints["librenms"]["url"],
        LIBRENMS_TOKEN=endpoints["librenms"]["token"],
        NETBOX_URL=endpoints["netbox"]["url"],
        NETBOX_TOKEN=endpoints["netbox"]["token_v2"],
    )
    pidfile = state_dir / "rq-worker.pid"
    proc = start_daemon("rq worker", [str(REPO_ROOT / ".venv" / "bin" / "rq"), "worker", *QUEUES],
                        state_dir / "rq-worker.log", pidfile, env=env, cwd=state_dir)
    connection = Redis.from_url(endpoints["redis"]["url"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(worker.pid == proc.pid for worker in Worker.all(queue=Queue(QUEUES[1], connection=connection))):
            print(f"rq worker {proc.pid} listens on {', '.join(QUEUES)}")
            return 0
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    stop_pidfile(pidfile)
    print(f"rq worker did not register with Redis; see {state_dir / 'rq-worker.log'}", file=sys.stderr)
    return 1


def main(argv: list) -> int:
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: rq_worker.py start|stop <state dir>", file=sys.stderr)
        return 2
    state_dir = Path(argv[2])
    if argv[1] == "start":
        return start(state_dir)
    print("stopped" if stop_pidfile(state_dir / "rq-worker.pid") else "not running")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
