"""Where the CPU went during one run: seconds by role (NetBox, PostgreSQL, rq workers, simulator...), and the share of
the machine's cores that were busy.

On a machine of few cores the import, the simulator and NetBox share them, so a throughput below the raw bulk create
may be the cores rather than the import. Each process's own time and the time of the children it has reaped are
summed (a reaped rq work-horse counts to its worker, a closed PostgreSQL backend to the postmaster), so processes
that end within the run are counted, as long as their parent outlives the sample.
"""

from __future__ import annotations

import time
from typing import Dict, Tuple

import psutil

ROLES = (("gunicorn", "netbox"), ("postgres", "postgresql"), ("rq worker", "rq_workers"), ("rq:", "rq_workers"),
         ("librenms_sim", "simulator"), ("redis-server", "redis"), ("bench", "bench_and_task"))


def _role(process: psutil.Process) -> str:
    try:
        command = " ".join(process.cmdline()) or process.name()
    except psutil.Error:
        return "other"
    return next((role for marker, role in ROLES if marker in command), "other")


def _snapshot() -> Tuple[Dict[str, float], float, float]:
    """(CPU seconds so far by role, the machine's busy CPU seconds so far, the clock)."""
    by_role: Dict[str, float] = {}
    for process in psutil.process_iter():
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue  # ended between the listing and the reading
        role = _role(process)
        by_role[role] = by_role.get(role, 0.0) + times.user + times.system + times.children_user + \
            times.children_system
    machine = psutil.cpu_times()
    busy = machine.user + machine.nice + machine.system + getattr(machine, "irq", 0) + \
        getattr(machine, "softirq", 0) + getattr(machine, "steal", 0)
    return by_role, busy, time.monotonic()


class CpuUse:
    """`start()` before a run and `stop()` after it, before any process of the run is stopped."""

    def __init__(self) -> None:
        self.before: Tuple[Dict[str, float], float, float] = ({}, 0.0, 0.0)

    def start(self) -> None:
        self.before = _snapshot()

    def stop(self) -> Dict[str, object]:
        (roles_before, busy_before, clock_before), (roles, busy, clock) = self.before, _snapshot()
        used = {role: seconds - roles_before.get(role, 0.0) for role, seconds in roles.items()}
        cores = psutil.cpu_count() or 1
        return {"seconds_by_role": {role: round(seconds, 1) for role, seconds in used.items() if seconds >= 0.05},
                "busy_share": round((busy - busy_before) / ((clock - clock_before) * cores), 3), "cores": cores}
