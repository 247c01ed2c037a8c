"""One measured child process: wall time on the parent's clock and the peak RSS of the child's whole tree.

ansible-playbook forks workers and each module runs in a process of its own, so the tree is sampled (psutil)
rather than read from getrusage, which reports the largest single child only.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import threading
import time
from typing import Dict, List, Optional

import psutil

SAMPLE_SECONDS = 0.02
MB = 1024 * 1024


@dataclasses.dataclass
class Measured:
    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def last_json(self) -> dict:
        """The last stdout line that is a JSON object: what a bench child reports."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"no JSON result from the child (exit {self.returncode}):\n{self.tail()}")

    def tail(self, lines: int = 25) -> str:
        return "\n".join((self.stdout + "\n" + self.stderr).strip().splitlines()[-lines:])


class _TreeSampler(threading.Thread):
    """Sums the RSS of a process and all its descendants every SAMPLE_SECONDS; keeps the largest sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def _tree_rss(self) -> int:
        try:
            root = psutil.Process(self.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue  # ended between the listing and the reading
        return total

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self.done.wait(SAMPLE_SECONDS)


def run_measured(command: List[str], env: Dict[str, str], cwd: Optional[str] = None,
                 timeout: float = 1800) -> Measured:
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        sampler.done.set()
        sampler.join()
    return Measured(time.perf_counter() - started, sampler.peak / MB, proc.returncode, stdout, stderr)
