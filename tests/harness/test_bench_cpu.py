"""bench.cpu: CPU seconds by process role over a run, including children reaped within it, and the busy share."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.cpu import CpuUse
from bench.report import _cpu_lines
from bench.verdicts import saturation

SPIN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"


def test_a_child_that_ends_within_the_run_counts_to_its_parent_and_the_machine_was_busy():
    use = CpuUse()
    use.start()
    subprocess.run([sys.executable, "-c", SPIN], check=True)  # reaped here: counts to this process's children
    end = time.process_time() + 0.2
    while time.process_time() < end:
        pass
    cpu = use.stop()
    assert sum(cpu["seconds_by_role"].values()) >= 0.5
    assert 0 < cpu["busy_share"] <= 1 and cpu["cores"] >= 1


def test_the_report_lists_each_measured_run_and_skips_runs_without_figures():
    cpu = {"seconds_by_role": {"netbox": 12.5, "postgresql": 4.0}, "busy_share": 0.91, "cores": 2}
    lines = _cpu_lines([("import, round 1", cpu), ("floor, round 1", None)])
    assert "2 cores" in lines[0]
    assert lines[2] == "- import, round 1: netbox 12.5, postgresql 4.0; busy 91%"
    assert len(lines) == 4 and _cpu_lines([("old", None)]) == []


def test_saturation_names_the_busy_share_and_the_servers_share_and_says_nothing_without_figures():
    cpu = {"seconds_by_role": {"netbox": 90.0, "postgresql": 10.0, "rq_workers": 25.0}, "busy_share": 0.98, "cores": 2}
    assert saturation(cpu) == "; the 2 cores 98% busy, NetBox and PostgreSQL 80% of the CPU time"
    assert saturation(None) == ""
