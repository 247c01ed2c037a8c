# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: run a search or an import now, or queue it as an RQ job.

`background: auto` queues a job when the candidates exceed `background_threshold` and a worker listens on
the queue; otherwise it runs here, with a warning saying why. Both paths run the bodies in runs.py, so a job's
result is what the synchronous run would have returned.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches import (
    enqueue_split,
    parent_view,
    split_devices,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import (
    ResultCache,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    check_job_id,
    enqueue,
    error_of,
    fetch,
    job_info,
    result_of,
    wait_for,
    workers_listening,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.redis_connection import (
    RedisUnavailable,
    connect,
    redis_errors,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.runs import import_and_report, search_and_cache
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.import_run import wanted_devices
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import (
    find_candidates,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_run import run_sync, sync_settings
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_sources import netbox_targets
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import check_selection_shapes
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    librenms_client,
    netbox_access,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    DEFAULT_BATCH_JOBS_THRESHOLD,
)


def _redis_errors_in_one_line(dispatch: Callable[..., Dict[str, Any]]) -> Callable[..., Dict[str, Any]]:
    """Redis going away after the first ping (while queueing, waiting for the job with wait: true, or writing the
    cache) fails the task in one line naming the masked URL, as librenms_job_status does."""
    @functools.wraps(dispatch)
    def run(params: Options, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        with redis_errors(params.get("redis_url") or ""):
            return dispatch(params, *args, **kwargs)
    return run


def wait_timeout(params: Options) -> float:
    """wait_timeout as given (3600 when unset): 0 looks at the job once."""
    value = params.get("wait_timeout")
    return 3600.0 if value is None else float(value)


def _redis_if_any(params: Options) -> Tuple[Optional[Any], List[str]]:
    """A Redis connection when one is configured; `always` needs it, the other modes warn without it."""
    if not params.get("redis_url") and params.get("background") != "always":
        return None, []
    try:
        return connect(params.get("redis_url")), []
    except RedisUnavailable as exc:
        if params.get("background") == "always":
            raise LibrenmsSyncError(f"background: always needs Redis: {exc.msg}") from None
        return None, [f"{exc.msg}; running synchronously"]


def _queue_or_not(kind: str, params: Options, connection, count: int) -> Tuple[bool, List[str]]:
    mode = params.get("background") or "auto"
    if mode == "never" or connection is None:
        return False, []
    threshold = int(params.get("background_threshold") or 0)
    if mode == "auto" and count <= threshold:
        return False, []
    if workers_listening(connection, params.get("queue") or "default"):
        return True, []
    queue = f"netbox_librenms.{params.get('queue') or 'default'}"
    if mode == "always":
        return True, [f"no worker listens on queue {queue}: the job waits until one starts"]
    return False, [f"{count} devices exceed background_threshold {threshold} but no worker listens on queue "
                   f"{queue}; running synchronously"]


def _splitter(params: Options, devices: Optional[List[Any]]):
    """How to queue an import of these devices: in batch jobs under a parent past batch_jobs_threshold, else None."""
    threshold = int(params.get("batch_jobs_threshold") or DEFAULT_BATCH_JOBS_THRESHOLD)
    if devices is None or len(devices) <= threshold:
        return None
    batches = split_devices(devices, threshold)

    def create(queue, options, timeout, ttl, description):
        return enqueue_split(queue, options, batches, timeout, ttl, description)

    return create


def _queued(kind: str, params: Options, connection, warnings: List[str], devices=None) -> Dict[str, Any]:
    job, created = enqueue(connection, kind, params, _splitter(params, devices) if kind == "import" else None)
    if params.get("wait"):
        wait_for(job, wait_timeout(params))
        result = result_of(job)
        if result is None:
            info = job_info(job)
            error = error_of(job) or {"type": info["status"], "message": "no result"}
            raise LibrenmsSyncError(f"job {job.id} ended {info['status']}: {error['type']}: {error['message']}",
                                    {"job": info})
        return dict(result, job=parent_view(job, job_info(job)), warnings=warnings + result.get("warnings", []))
    # Queueing an import or a sync is a change; queueing a search, or finding the same request queued already, is not.
    return {"changed": created and kind in ("import", "sync"), "job": parent_view(job, job_info(job)),
            "job_created": created,
            "warnings": warnings}


@_redis_errors_in_one_line
def dispatch_search(params: Options) -> Dict[str, Any]:
    check_limits(params)  # every numeric option, before Redis, LibreNMS or NetBox is asked anything
    check_selection_shapes(params.get("selections"))
    connection, warnings = _redis_if_any(params)
    cache = ResultCache.for_options(connection, params) if connection is not None else None
    cleared = cache.clear() if cache and params.get("clear_cache") else 0
    count = 0
    librenms = found = None
    try:
        if connection is not None and (params.get("background") or "auto") == "auto":
            librenms = librenms_client(params)
            found = find_candidates(params, librenms)
            count = len(found[1])
        queue_it, notes = _queue_or_not("search", params, connection, count)
        warnings += notes
        if queue_it:
            result = _queued("search", params, connection, warnings)
        else:
            # The candidates just counted are the ones searched: LibreNMS is listed once, as documented.
            result = search_and_cache(params, connection=connection, librenms=librenms, found=found)
            result["warnings"] = warnings + result.get("warnings", [])
    finally:
        if librenms is not None:
            librenms.close()
    result.setdefault("changed", False)
    if cache:
        result["cached_searches"] = cache.list_searches()
        result["cache_cleared"] = cleared
    return result


def _finished_job(params: Options, connection, hint: str) -> Tuple[Any, Dict[str, Any]]:
    """(the job from_job names, its result); it must have finished."""
    if connection is None:
        raise LibrenmsSyncError("from_job needs redis_url (or NETBOX_LIBRENMS_REDIS_URL)")
    job = fetch(connection, params["from_job"], "from_job")
    status = job_info(job)["status"]
    if status != "finished":
        raise LibrenmsSyncError(f"job {job.id} is {status}, not finished: wait for it (librenms_job_status with "
                                f"wait: true){hint}")
    return job, result_of(job) or {}


def _from_job(params: Options, connection) -> Dict[str, Any]:
    """The device list and selections of a finished search job, from the cache."""
    job, search = _finished_job(params, connection, ", or run the search again")
    if (job.meta or {}).get("kind") != "search" or "search_key" not in search:
        raise LibrenmsSyncError(f"job {job.id} is not a search (librenms_device_filter) job")
    entry = ResultCache.for_options(connection, params).load_search(search["search_key"])
    if not entry:
        raise LibrenmsSyncError("the search results have expired: run the search again")
    return dict(params, devices=entry["device_ids"], filters={}, all_devices=False,
                selections={**entry["selections"], **(params.get("selections") or {})})


def _lists_here(params: Options, check_mode: bool) -> bool:
    """Whether the task lists the candidates of `filters` itself: to count them (background auto), or to split a
    background import into batch jobs (always, when the task has a LibreNMS token; a worker lists them otherwise)."""
    mode = params.get("background") or "auto"
    return mode == "auto" or (mode == "always" and not check_mode and bool(params.get("librenms_token")))


@_redis_errors_in_one_line
def dispatch_import(params: Options, check_mode: bool, diff: bool) -> Dict[str, Any]:
    check_limits(params)  # every numeric option, before Redis, LibreNMS or NetBox is asked anything
    check_selection_shapes(params.get("selections"))
    if params.get("from_job"):
        check_job_id(params["from_job"], "from_job")
    connection, warnings = _redis_if_any(params)
    if params.get("from_job"):
        params = _from_job(params, connection)
    wanted_devices(params.get("devices") or [])  # a bad entry is refused here, before anything is queued
    if connection is not None and params.get("clear_cache"):
        ResultCache.for_options(connection, params).clear()
    count = len(params.get("devices") or [])
    librenms = found = None
    try:
        if not count and connection is not None and _lists_here(params, check_mode):
            librenms = librenms_client(params)
            found = find_candidates(params, librenms)[1]
            count = len(found)
        # Check mode writes nothing and queues nothing: it always runs here.
        queue_it, notes = (False, []) if check_mode else _queue_or_not("import", params, connection, count)
        if queue_it:
            listed = [device["device_id"] for device in found] if found is not None else None
            devices = params.get("devices") or listed
            return _queued("import", params, connection, warnings + notes, devices)
        # The candidates just counted are the ones imported: LibreNMS is listed once.
        result = import_and_report(params, check_mode=check_mode, diff=diff, found=found, librenms=librenms)
    finally:
        if librenms is not None:
            librenms.close()
    result["warnings"] = warnings + notes + result.get("warnings", [])
    return result


def _from_import_job(params: Options, connection) -> Dict[str, Any]:
    """The devices and VMs a finished import job created, as LibreNMS ids for `devices`."""
    job, result = _finished_job(params, connection, "")
    if (job.meta or {}).get("kind") != "import":
        raise LibrenmsSyncError(f"job {job.id} is not an import (librenms_device_import) job")
    ids = list(result.get("imported_libre_device_ids") or []) + list(result.get("imported_libre_vm_ids") or [])
    if not ids:
        raise LibrenmsSyncError(f"import job {job.id} created no device or VM: nothing to sync")
    return dict(params, devices=ids, from_job=None)


@_redis_errors_in_one_line
def dispatch_sync(params: Options, check_mode: bool, diff: bool) -> Dict[str, Any]:
    """librenms_device_sync: run now, or queue a `sync` job (background, background_threshold as the import)."""
    check_limits(params)  # every numeric option, before Redis, LibreNMS or NetBox is asked anything
    if params.get("from_job"):
        check_job_id(params["from_job"], "from_job")
    connection, warnings = _redis_if_any(params)
    if params.get("from_job"):
        params = _from_import_job(params, connection)
    sync_settings(params)  # a bad option is refused here, before anything is queued
    count = len(params.get("devices") or [])
    if not count and connection is not None and (params.get("background") or "auto") == "auto":
        count = len(netbox_targets(params, netbox_access(params))[0])
    queue_it, notes = (False, []) if check_mode else _queue_or_not("sync", params, connection, count)
    if queue_it:
        return _queued("sync", params, connection, warnings + notes)
    result = run_sync(params, check_mode=check_mode, diff=diff)
    result["warnings"] = warnings + notes + result.get("warnings", [])
    return result
