# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what `librenms_job_status` does with one job (report, wait, stop)."""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches import parent_view, stop_parent
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.job_list import list_jobs
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    FINAL,
    check_job_id,
    error_of,
    fetch,
    job_info,
    result_of,
    stop,
    wait_for,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.redis_connection import connect, redis_errors


def job_status(params: Options, check_mode: bool = False, verbose: bool = False) -> Dict[str, Any]:
    if not params.get("job_id"):
        return _job_list(params)
    check_limits(params, ("wait_timeout", "poll_interval"))
    check_job_id(params["job_id"])
    connection = connect(params["redis_url"])
    with redis_errors(params["redis_url"]):
        job = fetch(connection, params["job_id"])
        changed = False
        if params.get("state") == "stopped":
            # stop() returns once the job has ended.
            stopper = stop_parent if (job.meta or {}).get("batch_jobs") else stop
            changed = job.get_status(refresh=True) not in FINAL if check_mode else stopper(connection, job)
        if params.get("wait"):
            timeout, interval = params.get("wait_timeout"), params.get("poll_interval")
            wait_for(job, 3600.0 if timeout is None else float(timeout), 2.0 if interval is None else float(interval))
        info = parent_view(job, job_info(job))
        info["result"] = result_of(job)
        info["error"] = error_of(job, with_traceback=verbose)
    return {"changed": changed, "job": info}


def _job_list(params: Options) -> Dict[str, Any]:
    """Without job_id: the collection's jobs (job_list.list_jobs); stopping or waiting needs a job_id."""
    if params.get("state") == "stopped" or params.get("wait"):
        raise LibrenmsSyncError("state=stopped and wait need a job_id; without one the task lists the jobs")
    check_limits(params, ("limit",))
    connection = connect(params["redis_url"])
    with redis_errors(params["redis_url"]):
        jobs = list_jobs(connection, params.get("status") or [], params.get("since"), int(params.get("limit") or 50))
    return {"changed": False, "jobs": jobs}
