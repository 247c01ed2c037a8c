# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: RQ jobs seen from the caller's side (queue, look up, wait, stop).

A job carries the run's options without any token: workers bring their own credentials
(worker.worker_credentials). The same request while an identical job is queued or running
returns that job instead of queueing another.
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any, Dict, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.fingerprint import fingerprint
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import without_userinfo

try:
    from rq import Queue, Worker
    from rq.command import PUBSUB_CHANNEL_TEMPLATE, send_stop_job_command
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job
    from rq.registry import StartedJobRegistry
except ImportError:  # reported by redis_connection.HAS_RQ
    pass

QUEUE_PREFIX = "netbox_librenms."
JOB_FUNCTIONS = {
    "search": "ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker.search_job",
    "import": "ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker.import_job",
    "sync": "ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker.sync_job",
}
# Never sent to Redis: credentials, and options that only steer the caller.
_NOT_FOR_THE_JOB = ("librenms_token", "netbox_token", "redis_url", "background", "background_threshold", "wait",
                    "wait_timeout", "queue", "job_timeout", "result_ttl", "clear_cache", "fail_on_error")
ACTIVE = ("queued", "started", "deferred", "scheduled")
FINAL = ("finished", "failed", "stopped", "canceled")
STOP_KEY = "netbox_librenms:stop:"
# Phases of an import or a sync during which no NetBox write can be under way nor start before the next progress
# point (see stop). A search never writes to NetBox.
_NO_WRITE_PHASES = ("inventory", "read librenms")
_WRITING_KINDS = ("import", "sync")
# A worker's command channel is re-subscribed within 2 s after a Redis connection error (RQ's pubsub thread).
WORKER_GONE_CONFIRM = 3.0
# How long a running import may take to reach its next progress point after a stop request.
STOP_GRACE = 120.0


# RQ's own rule for a job id (rq.job.JOB_ID_PATTERN); ours are UUIDs.
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def check_job_id(job_id, option: str = "job_id") -> str:
    """The job id as given, or one LibrenmsSyncError naming the option (before Redis is asked anything)."""
    if not isinstance(job_id, str) or not _JOB_ID.fullmatch(job_id):
        shown = repr(job_id)[:80]
        raise LibrenmsSyncError(f"{option} {shown} is not a job id: it must be 1 to 128 letters, digits, _ or - "
                                "(the job.id a background task returned)")
    return job_id


def queue_name(queue: str) -> str:
    return f"{QUEUE_PREFIX}{queue}"


# Sent without their user and password: the worker takes those from its own URL (worker.worker_credentials).
_URL_OPTIONS = ("librenms_url", "netbox_url")


def job_options(params: Options) -> Dict[str, Any]:
    """What a job carries: no token, no option that only steers the caller, no user or password in a URL."""
    options = {key: value for key, value in params.items() if key not in _NOT_FOR_THE_JOB}
    for key in _URL_OPTIONS:
        if options.get(key):
            options[key] = without_userinfo(options[key])
    return options


def worker_gone(connection, name: str) -> bool:
    """Whether the worker is certainly not running: no registration, a registered death, or nobody on its command
    channel (a worker subscribes to rq:pubsub:<name> for its whole life, and Redis drops the subscription as soon
    as the process dies, whereas its registration outlives a SIGKILL by up to 8 minutes)."""
    key = f"rq:worker:{name}"
    if not connection.exists(key) or connection.hexists(key, "death"):
        return True
    version = (connection.hget(key, "version") or b"0").decode()
    if tuple(int(part) for part in re.findall(r"\d+", version)[:2]) < (1, 6):
        return False  # RQ before 1.6 had no command channel: only its registration tells
    return not any(count for _channel, count in connection.pubsub_numsub(PUBSUB_CHANNEL_TEMPLATE % name))


def workers_listening(connection, queue: str) -> int:
    """Live workers on the queue (a killed worker stays registered until its key expires: not counted)."""
    workers = Worker.all(queue=Queue(queue_name(queue), connection=connection))
    return sum(1 for worker in workers if not worker_gone(connection, worker.name))


def _status(job) -> str:
    status = job.get_status(refresh=True)
    return str(status.value if hasattr(status, "value") else status)


def reap_if_abandoned(connection, job, confirm: float = WORKER_GONE_CONFIRM) -> bool:
    """Fail a started job whose worker is gone, through RQ's own abandoned-job handling; True when it did.

    RQ fails such a job only once its heartbeat TTL has run out (60 to 90 s after the worker's last heartbeat)
    and a worker's maintenance cleans the registry (every 10 minutes by default): until then it says `started`.
    Here the started-job registry is cleaned as RQ does, and a job whose worker left its command channel (checked
    twice, `confirm` seconds apart) gets its registry entry expired first, so the same cleanup fails it now.
    """
    status = _status(job)
    if status == "deferred":  # a split import's parent: its batch jobs are the ones that run
        for child in Job.fetch_many((job.meta or {}).get("batch_jobs") or [], connection=connection):
            if child is not None:
                reap_if_abandoned(connection, child, confirm)
    if status != "started":
        return False
    registry = StartedJobRegistry(job.origin, connection=connection)
    name = job.worker_name
    if name and worker_gone(connection, name):
        time.sleep(confirm)
        if _status(job) == "started" and job.worker_name == name and worker_gone(connection, name):
            for member in connection.zrange(registry.key, 0, -1):
                if member.decode().split(":", 1)[0] == job.id:
                    connection.zadd(registry.key, {member: 0}, xx=True)
    registry.cleanup()
    return _status(job) != "started"


def job_info(job, reap: bool = True) -> Dict[str, Any]:
    def stamp(value):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None

    if reap:
        reap_if_abandoned(job.connection, job)
    job.refresh()
    status = job.get_status()
    status = str(status.value if hasattr(status, "value") else status)
    ended_at = job.ended_at
    if ended_at is None and status in FINAL:
        # RQ records no end for a stopped or abandoned job: its last result was made when it ended.
        result = job.latest_result()
        ended_at = result.created_at if result is not None else None
    return {"id": job.id, "queue": job.origin, "status": status,
            "enqueued_at": stamp(job.enqueued_at), "started_at": stamp(job.started_at),
            "ended_at": stamp(ended_at), "worker": job.worker_name,
            "progress": {k: job.meta.get(k) for k in ("phase", "processed", "total", "percent") if k in job.meta}}


def enqueue(connection, kind: str, params: Options, create=None) -> Tuple[Any, bool]:
    """(the job, whether it was queued now); an identical active request returns its job instead.

    Requests made at the same moment (the hosts of a play, forks of one task) take turns on a Redis lock, so
    only the first of them queues a job. `create(queue, options, job_timeout, result_ttl, description)` queues
    something else than one job of `kind` (batches.enqueue_split: batch jobs and their parent) and returns the job
    the request stands for.
    """
    check_limits(params, ("job_timeout", "result_ttl"))  # before anything is queued
    options = job_options(params)
    pointer = f"netbox_librenms:request:{kind}:{fingerprint(options)}"
    job_timeout = int(params.get("job_timeout") or 3600)
    result_ttl = int(params.get("result_ttl") or 86400)
    with connection.lock(f"{pointer}:lock", timeout=60, blocking_timeout=60):
        existing = connection.get(pointer)
        if existing:
            try:
                job = Job.fetch(existing.decode(), connection=connection)
                if _status(job) in ACTIVE:
                    return job, False
            except NoSuchJobError:
                pass
        queue = Queue(queue_name(params.get("queue") or "default"), connection=connection)
        description = f"netbox_librenms.sync {kind} ({server_key_of(params)})"
        job = create(queue, options, job_timeout, result_ttl, description) if create else queue.enqueue(
            JOB_FUNCTIONS[kind], options, job_timeout=job_timeout, result_ttl=result_ttl, failure_ttl=result_ttl,
            meta={"kind": kind, "phase": "queued", "processed": 0, "total": None, "percent": 0},
            description=description,
        )
        try:
            # Only a hint (the job's status decides): kept while the job may still be waiting or running.
            connection.set(pointer, job.id, ex=job_timeout + result_ttl)
        except BaseException:
            _withdraw(job)  # all or nothing: a task that fails leaves no job behind to run later
            raise
    return job, True


def _withdraw(job) -> None:
    """Take a job just queued off its queue and out of Redis, as if it had never been queued."""
    with contextlib.suppress(Exception):  # the original failure is the one to report
        job.cancel()
    with contextlib.suppress(Exception):
        job.delete(remove_from_queue=True)


def fetch(connection, job_id: str, option: str = "job_id"):
    check_job_id(job_id, option)
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        raise LibrenmsSyncError(f"job {job_id} does not exist (unknown id, or its result expired)") from None


def wait_for(job, timeout: float, poll_interval: float = 1.0):
    """Block until the job ends; a job whose worker died ends `failed` (reap_if_abandoned)."""
    deadline = time.monotonic() + timeout
    while _status(job) not in FINAL and not reap_if_abandoned(job.connection, job):
        if time.monotonic() > deadline:
            raise LibrenmsSyncError(f"job {job.id} did not end within {timeout:g} s (it is {_status(job)})",
                                    {"job": job_info(job)})
        time.sleep(poll_interval)
    return job


def result_of(job) -> Optional[Dict[str, Any]]:
    result = job.latest_result()
    return result.return_value if result is not None and result.type == result.Type.SUCCESSFUL else None


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*): (.*)$", re.S)


def error_of(job, with_traceback: bool = False) -> Optional[Dict[str, Any]]:
    """C(type) and C(message) of a failed or stopped job (C(traceback) too on request)."""
    result = job.latest_result()
    if result is None or result.type == result.Type.SUCCESSFUL or not result.exc_string:
        return None
    text = result.exc_string.strip()
    lines = [line for line in text.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "unknown error"
    match = _EXCEPTION_LINE.match(last)
    if "AbandonedJobError" in text:
        error = {"type": "AbandonedJobError",
                 "message": f"worker {job.worker_name or '(unknown)'} stopped running this job before it ended "
                            "(killed, crashed or cut off from Redis); the job may have done part of its work"}
    elif "stopped by user" in last:
        error = {"type": "JobStopped", "message": "the job was stopped on request (librenms_job_status state=stopped)"}
    elif match:
        error = {"type": match.group(1).rsplit(".", 1)[-1], "message": match.group(2)}
    else:
        error = {"type": "JobFailed", "message": last}
    if with_traceback:
        error["traceback"] = result.exc_string
    return error


def stop_requested(connection, job_id: str) -> bool:
    return bool(connection.exists(STOP_KEY + job_id))


def _kill(connection, job) -> None:
    with contextlib.suppress(InvalidJobOperation, NoSuchJobError):  # it ended meanwhile
        send_stop_job_command(connection, job.id)


def stop(connection, job, grace: float = STOP_GRACE) -> bool:
    """Cancel a waiting job or stop a running one, and return once it has ended; False when it had ended already.

    A stop request is recorded first; the job's progress callback (worker.JobProgress) honours it at its
    next progress point, before any further NetBox write. A search, or an import reading inventories, is stopped
    at once as well (RQ kills its work horse). An import past that phase may be writing a batch: it is given
    `grace` seconds to reach its next progress point and only then killed.
    """
    if _status(job) in FINAL or reap_if_abandoned(connection, job):
        return False
    connection.set(STOP_KEY + job.id, "1", ex=max(int(job.timeout or 0), 3600) + 3600)
    if _status(job) != "started":
        with contextlib.suppress(InvalidJobOperation):  # it ended, or a worker took it meanwhile
            job.cancel()
        if _status(job) in FINAL:
            return True
    # Read the phase after recording the request: the work horse saves a new phase before it checks for a stop,
    # so a phase read here without writes means the work horse will see the request before it writes.
    meta = job.get_meta(refresh=True)
    if meta.get("kind") not in _WRITING_KINDS or meta.get("phase") in _NO_WRITE_PHASES:
        _kill(connection, job)
    deadline = time.monotonic() + grace
    while _status(job) not in FINAL and time.monotonic() < deadline and not reap_if_abandoned(connection, job):
        time.sleep(0.2)
    if _status(job) not in FINAL:
        _kill(connection, job)
        wait_for(job, 30, 0.2)
    return True
