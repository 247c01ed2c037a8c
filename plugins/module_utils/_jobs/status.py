# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what `librenms_job_status` does with one job (report, wait, stop)."""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
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
    check_limits(params, ("wait_timeout", "poll_interval"))
    check_job_id(params["job_id"])
    connection = connect(params["redis_url"])
    with redis_errors(params["redis_url"]):
        job = fetch(connection, params["job_id"])
        changed = False
        if params.get("state") == "stopped":
            # stop() returns once the job has ended.
            changed = job.get_status(refresh=True) not in FINAL if check_mode else stop(connection, job)
        if params.get("wait"):
            timeout, interval = params.get("wait_timeout"), params.get("poll_interval")
            wait_for(job, 3600.0 if timeout is None else float(timeout), 2.0 if interval is None else float(interval))
        info = job_info(job)
        info["result"] = result_of(job)
        info["error"] = error_of(job, with_traceback=verbose)
    return {"changed": changed, "job": info}
