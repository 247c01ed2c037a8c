"""Molecule verify: the role's workers are registered in Redis, live, on the collection's queues, and ours.

argv: redis URL (from the environment variable REDIS_URL), pidfile directory, service name, worker count.
Prints {"workers": [names]} on success; exits 1 with the reason otherwise.
"""

import json
import os
import sys
import time

import psutil
from redis import Redis
from rq import Queue, Worker

QUEUES = ["netbox_librenms.high", "netbox_librenms.default", "netbox_librenms.low"]


def ours(run_dir: str, name: str, count: int) -> dict:
    """rq worker pid -> instance, for the children of the supervisors whose pidfiles are in run_dir."""
    found = {}
    for instance in range(1, count + 1):
        with open(os.path.join(run_dir, f"{name}-{instance}.pid"), encoding="ascii") as handle:
            supervisor = psutil.Process(int(handle.read().strip()))
        for child in supervisor.children():
            if "rq" in " ".join(child.cmdline()):
                found[child.pid] = instance
    return found


def main() -> int:
    _script, run_dir, name, count = sys.argv
    count = int(count)
    connection = Redis.from_url(os.environ["REDIS_URL"])
    deadline = time.monotonic() + 30
    while True:
        pids = ours(run_dir, name, count)
        workers = [w for w in Worker.all(queue=Queue("netbox_librenms.default", connection=connection))
                   if w.pid in pids]
        live = [w for w in workers
                if any(n for _c, n in connection.pubsub_numsub(f"rq:pubsub:{w.name}")) and w.queue_names() == QUEUES]
        if len(live) == count == len(pids):
            break
        if time.monotonic() > deadline:
            print(f"expected {count} live workers of ours on {QUEUES}; rq worker pids {sorted(pids)}, "
                  f"registered {[(w.name, w.pid, w.queue_names()) for w in workers]}")
            return 1
        time.sleep(0.5)
    secrets = [os.environ["REDIS_URL"], *json.loads(os.environ["TOKENS"])]
    for pid in pids:
        command_line = " ".join(psutil.Process(pid).cmdline())
        if any(secret in command_line for secret in secrets):
            print(f"rq worker {pid} has the Redis URL or a token on its command line")
            return 1
    print(json.dumps({"workers": sorted(w.name for w in live)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
