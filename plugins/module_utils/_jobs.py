# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: RQ jobs seen from the caller's side (queue, look up, wait, stop).

A job carries the run's options without any token: workers bring their own credentials
(_job_functions.worker_credentials). The same request while an identical job is queued or running
returns that job instead of queueing another.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._cache import fingerprint
from ansible_collections.netbox_librenms.sync.plugins.module_utils._errors import LibrenmsSyncError

try:
    from rq import Queue, Worker
    from rq.command import send_stop_job_command
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job, JobStatus
except ImportError:  # reported by _redis.HAS_RQ
    pass

QUEUE_PREFIX = "netbox_librenms."
JOB_FUNCTIONS = {
    "search": "ansible_collections.netbox_librenms.sync.plugins.module_utils._job_functions.search_job",
    "import": "ansible_collections.netbox_librenms.sync.plugins.module_utils._job_functions.import_job",
}
# Never sent to Redis: credentials, and options that only steer the caller.
_NOT_FOR_THE_JOB = ("librenms_token", "netbox_token", "redis_url", "background", "background_threshold", "wait",
                    "wait_timeout", "queue", "job_timeout", "result_ttl", "clear_cache", "fail_on_error")
ACTIVE = ("queued", "started", "deferred", "scheduled")
FINAL = ("finished", "failed", "stopped", "canceled")


def queue_name(queue: str) -> str:
    return f"{QUEUE_PREFIX}{queue}"


def job_options(params: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in params.items() if key not in _NOT_FOR_THE_JOB}


def workers_listening(connection, queue: str) -> int:
    return len(Worker.all(queue=Queue(queue_name(queue), connection=connection)))


def job_info(job) -> Dict[str, Any]:
    def stamp(value):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None

    job.refresh()
    status = job.get_status()
    return {"id": job.id, "queue": job.origin, "status": str(status.value if hasattr(status, "value") else status),
            "enqueued_at": stamp(job.enqueued_at), "started_at": stamp(job.started_at),
            "ended_at": stamp(job.ended_at), "worker": job.worker_name,
            "progress": {k: job.meta.get(k) for k in ("phase", "processed", "total", "percent") if k in job.meta}}


def enqueue(connection, kind: str, params: Dict[str, Any]) -> Tuple[Any, bool]:
    """(the job, whether it was queued now); an identical active request returns its job instead."""
    options = job_options(params)
    pointer = f"netbox_librenms:request:{kind}:{fingerprint(options)}"
    existing = connection.get(pointer)
    if existing:
        try:
            job = Job.fetch(existing.decode(), connection=connection)
            if job.get_status(refresh=True) in ACTIVE:
                return job, False
        except NoSuchJobError:
            pass
    queue = Queue(queue_name(params.get("queue") or "default"), connection=connection)
    job = queue.enqueue(
        JOB_FUNCTIONS[kind], options, job_timeout=int(params.get("job_timeout") or 3600),
        result_ttl=int(params.get("result_ttl") or 86400), failure_ttl=int(params.get("result_ttl") or 86400),
        meta={"kind": kind, "phase": "queued", "processed": 0, "total": None, "percent": 0},
        description=f"netbox_librenms.sync {kind} ({params.get('server_key') or 'default'})",
    )
    connection.set(pointer, job.id, ex=int(params.get("job_timeout") or 3600))
    return job, True


def fetch(connection, job_id: str):
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        raise LibrenmsSyncError(f"job {job_id} does not exist (unknown id, or its result expired)") from None


def wait_for(job, timeout: float, poll_interval: float = 1.0):
    """Block until the job ends; a worker that died is reported by RQ's abandoned-job handling."""
    deadline = time.monotonic() + timeout
    while job.get_status(refresh=True) not in FINAL:
        if time.monotonic() > deadline:
            raise LibrenmsSyncError(f"job {job.id} did not end within {timeout:g} s (it is {job.get_status()})",
                                    {"job": job_info(job)})
        time.sleep(poll_interval)
    return job


def result_of(job) -> Optional[Dict[str, Any]]:
    result = job.latest_result()
    return result.return_value if result is not None and result.type == result.Type.SUCCESSFUL else None


def error_of(job, with_traceback: bool = False) -> Optional[Dict[str, Any]]:
    result = job.latest_result()
    if result is None or result.type == result.Type.SUCCESSFUL or not result.exc_string:
        return None
    lines = [line for line in result.exc_string.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "unknown error"
    kind, _sep, message = last.partition(": ")
    error = {"type": kind.rsplit(".", 1)[-1], "message": message or last}
    if with_traceback:
        error["traceback"] = result.exc_string
    return error


def stop(connection, job) -> bool:
    """Cancel a waiting job or stop a running one; False when it had already ended."""
    status = job.get_status(refresh=True)
    if status in FINAL:
        return False
    try:
        if status == JobStatus.STARTED:
            send_stop_job_command(connection, job.id)
        else:
            job.cancel()
    except InvalidJobOperation:
        return False
    return True
