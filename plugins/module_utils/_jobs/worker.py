# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what an `rq worker` runs. The same code path as a synchronous run.

A job names its server key and URLs but carries no token: the worker takes the credentials from its own
environment (LIBRENMS_URL/LIBRENMS_TOKEN, NETBOX_URL/NETBOX_TOKEN) or from a root-only YAML file of servers
keyed by server key (NETBOX_LIBRENMS_CREDENTIALS, default /etc/netbox_librenms/credentials.yml).
"""

from __future__ import annotations

import os
import stat
import time
from typing import Any, Dict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url, same_server
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import stop_requested
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.runs import import_and_report, search_and_cache
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_run import run_sync

try:
    import yaml
    from rq import get_current_job
    from rq.command import send_stop_job_command
except ImportError:  # reported by redis_connection.HAS_RQ; yaml comes with ansible-core
    pass

DEFAULT_CREDENTIALS_FILE = "/etc/netbox_librenms/credentials.yml"
PROGRESS_EVERY = 5
# The part of a whole run each phase covers (from, to): a batch job's `share` of done work, which never goes back
# (the phases' own percents restart), so that its parent's progress only grows (batches.parent_view).
PHASE_SHARES = {"inventory": (0.0, 0.5), "validate": (0.5, 0.5), "write": (0.5, 0.9), "virtual_chassis": (0.9, 0.95),
                "update": (0.95, 1.0), "done": (1.0, 1.0)}


def _credentials_file() -> Dict[str, Any]:
    path = os.environ.get("NETBOX_LIBRENMS_CREDENTIALS", DEFAULT_CREDENTIALS_FILE)
    if not os.path.exists(path):
        return {}
    mode = os.stat(path).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise LibrenmsSyncError(f"credentials file {path} must be readable by its owner only (chmod 600)")
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return data.get("servers", data) if isinstance(data, dict) else {}


def worker_credentials(options: Options) -> Dict[str, Any]:
    """The job's options with this worker's tokens for the job's server key and URLs.

    A job's URLs carry no user or password (queue.job_options): a source matches when its URL names the same
    server, and the worker then uses its own URL, with the user and password it may hold.
    """
    server_key = server_key_of(options)
    entry = _credentials_file().get(server_key) or {}
    environment = {
        "librenms_url": os.environ.get("LIBRENMS_URL"), "librenms_token": os.environ.get("LIBRENMS_TOKEN"),
        "netbox_url": os.environ.get("NETBOX_URL") or os.environ.get("NETBOX_API"),
        "netbox_token": os.environ.get("NETBOX_TOKEN"),
    }
    sources = [entry, environment]
    filled = dict(options)
    for system in ("librenms", "netbox"):
        url, token = f"{system}_url", f"{system}_token"
        for source in sources:
            if source.get(token) and same_server(source.get(url), options.get(url)):
                filled[token] = source[token]
                filled[url] = source[url]
                break
        else:
            raise LibrenmsSyncError(
                f"this worker has no {system} credentials for server key {server_key!r} at "
                f"{masked_url(options.get(url))}: "
                f"set {system.upper()}_URL and {system.upper()}_TOKEN in its environment or add the server to "
                f"{os.environ.get('NETBOX_LIBRENMS_CREDENTIALS', DEFAULT_CREDENTIALS_FILE)}"
            )
    return filled


class JobStopTimeout(LibrenmsSyncError):
    """The worker did not stop the job it was asked to stop."""


class StopRequested(Exception):
    """Raised at a progress point of a write phase (JobProgress with drain_writes): the writes under way end first."""


# Phases whose progress points come between NetBox write batches (apply.py, write_in_batches' on_batch); the
# sync's are "write <kind>" (sync_apply.py).
WRITE_PHASES = ("write", "virtual_chassis", "update")


class JobProgress:
    """Writes phase, processed, total and percent to the job's meta (on every new phase, then every few devices),
    and honours a stop request (queue.stop) at each call: nothing the job would do after the call happens."""

    def __init__(self, job, halt_timeout: float = 60.0, drain_writes: bool = False) -> None:
        self.job = job
        # With concurrent batches (write_concurrency) others may still be on their way to NetBox at a progress
        # point: with drain_writes a stop there raises StopRequested, write_in_batches waits for them to end, and
        # the job's function halts then (so nothing reaches NetBox once the job is reported stopped).
        self.drain_writes = drain_writes
        self.last = (None, -PROGRESS_EVERY)
        self.halt_timeout = halt_timeout
        self.share = 0.0

    def __call__(self, phase: str, processed: int, total: int) -> None:
        if self.job is None:
            return
        last_phase, last_processed = self.last
        if phase != last_phase or processed - last_processed >= PROGRESS_EVERY or processed >= total:
            self.last = (phase, processed)
            percent = round(100.0 * processed / total, 1) if total else (100.0 if phase == "done" else 0.0)
            low, high = PHASE_SHARES.get(phase, (0.0, 0.0))
            self.share = max(self.share, low + (high - low) * percent / 100.0)
            self.job.meta.update({"phase": phase, "processed": processed, "total": total, "percent": percent,
                                  "share": round(self.share, 3)})
            self.job.save_meta()
        # After saving the phase, never before: queue.stop relies on that order. A batch job also stops when its
        # parent was asked to (batches.stop_parent).
        parent = (self.job.meta or {}).get("parent")
        if stop_requested(self.job.connection, self.job.id) or (parent and stop_requested(self.job.connection, parent)):
            if self.drain_writes and (phase in WRITE_PHASES or phase.startswith("write ")):
                raise StopRequested(phase)
            self.halt()

    def halt(self) -> None:
        """Have the worker stop this job (RQ then kills this work horse and records the job as stopped)."""
        send_stop_job_command(self.job.connection, self.job.id)
        deadline = time.monotonic() + self.halt_timeout
        while time.monotonic() < deadline:
            time.sleep(0.2)
        raise JobStopTimeout(f"job {self.job.id} was asked to stop, but its worker did not stop it")


def search_job(options: Options) -> Dict[str, Any]:
    job = get_current_job()
    progress = JobProgress(job)
    progress("start", 0, 0)
    result = search_and_cache(worker_credentials(options), progress, job.connection if job else None)
    progress("done", result["total_processed"], result["total_processed"])
    return result


def import_job(options: Options) -> Dict[str, Any]:
    job = get_current_job()
    progress = JobProgress(job, drain_writes=True)
    progress("start", 0, 0)
    try:
        result = import_and_report(worker_credentials(options), progress)
    except StopRequested:
        return progress.halt()  # the batches that were on their way have ended: stop now (halt never returns)
    progress("done", result["total"], result["total"])
    return result


def sync_job(options: Options) -> Dict[str, Any]:
    """librenms_device_sync in a worker: progress by device batch and write step, a stop honoured before each."""
    job = get_current_job()
    progress = JobProgress(job, drain_writes=True)
    progress("start", 0, 0)
    try:
        result = run_sync(worker_credentials(options), progress=progress)
    except StopRequested:
        return progress.halt()  # the batches that were on their way have ended: stop now (halt never returns)
    progress("done", len(result["devices"]), len(result["devices"]))
    return result
