"""Where the CPU went during one run: seconds by role (NetBox, PostgreSQL, rq workers, simulator...), and the share of
the machine's cores that were busy.

On a machine of few cores the import, the simulator and NetBox share them, so a throughput below the raw bulk create
may be the cores rather than the import. Each process's own time and the time of the children it has reaped are
summed (a reaped rq work-horse counts to its worker, a closed PostgreSQL backend to the postmaster), so processes
that end within the run are counted, as long as their parent outlives the sample.
"""

from __future__ import annotations

import time
from typing import Dict

import psutil

ROLES = (("gunicorn", "netbox"), ("postgres", "postgresql"), ("rq worker", "rq_workers"), ("rq:", "rq_workers"),
         ("librenms_sim", "simulator"), ("redis-server", "redis"), ("bench", "bench_and_task"))


def _role(process: psutil.Process) -> str:
    try:
        command = " ".join(process.cmdline()) or process.name()
    except psutil.Error:
        return "other"
    return next((role for marker, role in ROLES if marker in command), "other")


def _snapshot() -> Dict[str, float]:
    seconds: Dict[str, float] = {}
    for process in psutil.process_iter():
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue  # ended between the listing and the reading
        role = _role(process)
        seconds[role] = seconds.get(role, 0.0) + times.user + times.system + times.children_user + \
            times.children_system
    machine = psutil.cpu_times()
    seconds["_busy"] = machine.user + machine.nice + machine.system + getattr(machine, "irq", 0) + \
        getattr(machine, "softirq", 0) + getattr(machine, "steal", 0)
    seconds["_clock"] = time.monotonic()
    return seconds


class CpuUse:
    """`start()` before a run and `stop()` after it, before any process of the run is stopped."""

    def __init__(self) -> None:
        self.before: Dict[str, float] = {}

    def start(self) -> None:
        self.before = _snapshot()

    def stop(self) -> Dict[str, object]:
        after = _snapshot()
        wall = after["_clock"] - self.before["_clock"]
        by_role = {role: round(after[role] - self.before.get(role, 0.0), 1) for role in after
                   if not role.startswith("_") and after[role] - self.before.get(role, 0.0) >= 0.05}
        cores = psutil.cpu_count() or 1
        return {"seconds_by_role": by_role,
                "busy_share": round((after["_busy"] - self.before["_busy"]) / (wall * cores), 3), "cores": cores}
