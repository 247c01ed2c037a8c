# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the collection's jobs as NetBox's Jobs page shows a plugin's, read from RQ.

Every job of the collection's queues is in one of RQ's places: the queue itself (queued), or its started,
deferred, scheduled, finished, failed (also stopped ones) or canceled registry. A batch job is listed under its
parent, not on its own. A started job whose worker died is failed first (queue.reap_if_abandoned), as
`librenms_job_status` does for one job.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Dict, Iterable, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches import batch_jobs, parent_view
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    QUEUE_PREFIX,
    error_of,
    job_info,
    result_of,
)

try:
    from rq import Queue
    from rq.job import Job
    from rq.registry import (
        CanceledJobRegistry,
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )
except ImportError:  # reported by redis_connection.HAS_RQ
    pass

QUEUES = ("high", "default", "low")
STATUSES = ("queued", "started", "deferred", "scheduled", "finished", "failed", "stopped", "canceled")
DEFAULT_LIMIT = 50
_RELATIVE = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Counts a job's result carries, by kind: what the list shows of each job without its whole result.
SUMMARY_KEYS = ("total", "success_count", "failed_count", "skipped_count", "virtual_chassis_created",
                "total_processed")


def parse_since(value: Optional[str], now: Optional[datetime.datetime] = None) -> Optional[datetime.datetime]:
    """`since` as an aware UTC time: an ISO 8601 time (UTC unless it says otherwise) or an age such as 30m, 12h, 2d."""
    if value in (None, ""):
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    text = str(value).strip()
    relative = _RELATIVE.match(text.lower())
    if relative:
        return now - datetime.timedelta(seconds=int(relative.group(1)) * _UNITS[relative.group(2)])
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LibrenmsSyncError(f"since {text[:80]!r} is neither an ISO 8601 time (2026-12-06T04:00:00Z) nor an age "
                                "(a whole number with s, m, h or d: 90m, 12h, 2d)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def check_statuses(statuses: Iterable[str]) -> List[str]:
    wanted = list(statuses or [])
    unknown = [status for status in wanted if status not in STATUSES]
    if unknown:
        raise LibrenmsSyncError(f"status {unknown[0]!r} is not a job status: use {', '.join(STATUSES)}")
    return wanted


def _job_ids(connection) -> List[str]:
    ids: List[str] = []
    for name in QUEUES:
        queue = Queue(QUEUE_PREFIX + name, connection=connection)
        ids += queue.get_job_ids()
        for registry in (StartedJobRegistry, DeferredJobRegistry, ScheduledJobRegistry, FinishedJobRegistry,
                         FailedJobRegistry, CanceledJobRegistry):
            ids += registry(queue.name, connection=connection).get_job_ids()
    return list(dict.fromkeys(ids))


def _utc(value: Optional[datetime.datetime]) -> datetime.datetime:
    """RQ's times as aware UTC (RQ writes them in UTC, with or without a time zone)."""
    value = value or datetime.datetime(1970, 1, 1)
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _stamp(value: Optional[str]) -> Optional[datetime.datetime]:
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc) \
        if value else None


def describe(job, with_children: bool = True) -> Dict[str, Any]:
    """One entry of the list: job_info plus function, server key, duration, summary counts and children."""
    info = parent_view(job, job_info(job)) if with_children else job_info(job)
    info.pop("batch_jobs", None)  # `children` says more
    meta = job.meta or {}
    options = job.args[0] if job.args and isinstance(job.args[0], dict) else {}
    started, ended = _stamp(info["started_at"]), _stamp(info["ended_at"])
    result = result_of(job) if info["status"] == "finished" else None
    entry = dict(info, function=meta.get("kind"), server_key=options.get("server_key"),
                 duration_s=round((ended - started).total_seconds(), 1) if started and ended else None,
                 summary={key: (result or {}).get(key) for key in SUMMARY_KEYS if key in (result or {})},
                 error=error_of(job) if info["status"] in ("failed", "stopped") else None)
    if isinstance((result or {}).get("summary"), dict) and meta.get("kind") != "import":
        entry["summary"].update(result["summary"])  # a search's counts by verdict
    if with_children and meta.get("batch_jobs"):
        entry["children"] = [describe(child, with_children=False) for child in batch_jobs(job)]
    return entry


def list_jobs(connection, statuses: Iterable[str] = (), since: Optional[str] = None,
              limit: int = DEFAULT_LIMIT) -> List[Dict[str, Any]]:
    """The collection's jobs, newest first: those with the given statuses, enqueued since `since`, at most `limit`."""
    wanted = check_statuses(statuses)
    after = parse_since(since)
    jobs = [job for job in Job.fetch_many(_job_ids(connection), connection=connection)
            if job is not None and (job.meta or {}).get("kind") and not (job.meta or {}).get("parent")]
    if after is not None:
        jobs = [job for job in jobs if _utc(job.enqueued_at) >= after]
    jobs.sort(key=lambda job: _utc(job.enqueued_at), reverse=True)
    listed: List[Dict[str, Any]] = []
    for job in jobs:
        entry = describe(job)
        if not wanted or entry["status"] in wanted:
            listed.append(entry)
        if len(listed) >= limit:
            break
    return listed
