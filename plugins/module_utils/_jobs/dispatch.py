# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: run a search or an import now, or queue it as an RQ job.

`background: auto` queues a job when the candidates exceed `background_threshold` and a worker listens on
the queue; otherwise it runs here, with a warning saying why. Both paths call search_and_cache and
import_and_report, so a job's result is what the synchronous run would have returned.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import (
    DEFAULT_TIMEOUT,
    CachedReference,
    ResultCache,
    search_fingerprint,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
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
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.import_run import run_import
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import (
    find_candidates,
    run_search,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import librenms_client


def _cache(connection, params) -> ResultCache:
    return ResultCache(connection, server_key_of(params), params.get("netbox_url") or "",
                       int(params.get("cache_timeout") or DEFAULT_TIMEOUT))


def search_and_cache(params: Dict[str, Any], progress=None, connection=None, librenms=None,
                     found=None) -> Dict[str, Any]:
    """The search, with reference data from the cache and the validated rows stored in it.

    `librenms` and `found` as in run_search: the candidates already listed, and the client that listed them.
    """
    cache = _cache(connection, params) if connection is not None else None
    wrapped: List[CachedReference] = []

    def wrap(netbox):
        wrapped.append(CachedReference(netbox, cache))
        return wrapped[-1]

    try:
        result = run_search(params, progress, wrap_netbox=wrap if cache else None, librenms=librenms, found=found)
    except LibrenmsSyncError as exc:
        # Options naming a site, role or rack that NetBox got after the reference data was cached: look again.
        if "problems" not in exc.details or not (wrapped and wrapped[-1].from_cache):
            raise
        cache.forget_reference()
        result = run_search(params, progress, wrap_netbox=wrap, librenms=librenms, found=found)
    states = result["devices"]
    result.update(device_ids=[s["device_id"] for s in states], total_processed=len(states),
                  vc_detection_enabled=bool(params.get("vc_detection")),
                  cache_timeout=int(params.get("cache_timeout") or DEFAULT_TIMEOUT), cached_at=None, completed=True)
    if cache:
        result["search_key"] = search_fingerprint(params, result["filters"])
        result["cached_at"] = cache.store_search(result["search_key"], result["filters"], states,
                                                 params.get("selections") or {})
    return result


def import_and_report(params: Dict[str, Any], progress=None, check_mode: bool = False,
                      diff: bool = False, found=None, librenms=None) -> Dict[str, Any]:
    """The import, with the result keys netbox-librenms-plugin's import job reports added."""
    result = run_import(params, check_mode=check_mode, diff=diff, progress=progress, found=found, librenms=librenms)
    created = result["created"]
    summary = result["summary"]
    result.update(
        imported_device_pks=[c["netbox_id"] for c in created if c["kind"] == "device"],
        imported_vm_pks=[c["netbox_id"] for c in created if c["kind"] == "vm"],
        imported_libre_device_ids=[c["device_id"] for c in created if c["kind"] == "device"],
        imported_libre_vm_ids=[c["device_id"] for c in created if c["kind"] == "vm"],
        total=summary["total"], success_count=summary["success_count"], failed_count=summary["failed_count"],
        skipped_count=summary["skipped_count"], virtual_chassis_created=summary["virtual_chassis_created"],
        completed=True,
    )
    return result


def _redis_if_any(params: Dict[str, Any]) -> Tuple[Optional[Any], List[str]]:
    """A Redis connection when one is configured; `always` needs it, the other modes warn without it."""
    if not params.get("redis_url") and params.get("background") != "always":
        return None, []
    try:
        return connect(params.get("redis_url")), []
    except RedisUnavailable as exc:
        if params.get("background") == "always":
            raise LibrenmsSyncError(f"background: always needs Redis: {exc.msg}") from None
        return None, [f"{exc.msg}; running synchronously"]


def _queue_or_not(kind: str, params: Dict[str, Any], connection, count: int) -> Tuple[bool, List[str]]:
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


def _queued(kind: str, params: Dict[str, Any], connection, warnings: List[str]) -> Dict[str, Any]:
    job, created = enqueue(connection, kind, params)
    if params.get("wait"):
        wait_for(job, float(params.get("wait_timeout") or 3600))
        result = result_of(job)
        if result is None:
            info = job_info(job)
            error = error_of(job) or {"type": info["status"], "message": "no result"}
            raise LibrenmsSyncError(f"job {job.id} ended {info['status']}: {error['type']}: {error['message']}",
                                    {"job": info})
        return dict(result, job=job_info(job), warnings=warnings + result.get("warnings", []))
    # Queueing an import is a change; queueing a search, or finding the same request queued already, is not.
    return {"changed": created and kind == "import", "job": job_info(job), "job_created": created,
            "warnings": warnings}


def search_module(params: Dict[str, Any]) -> Dict[str, Any]:
    connection, warnings = _redis_if_any(params)
    cleared = _cache(connection, params).clear() if connection is not None and params.get("clear_cache") else 0
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
            result = dict(search_and_cache(params, connection=connection, librenms=librenms, found=found),
                          warnings=warnings)
    finally:
        if librenms is not None:
            librenms.close()
    result.setdefault("changed", False)
    if connection is not None:
        result["cached_searches"] = _cache(connection, params).list_searches()
        result["cache_cleared"] = cleared
    return result


def _from_job(params: Dict[str, Any], connection) -> Dict[str, Any]:
    """The device list and selections of a finished search job, from the cache."""
    if connection is None:
        raise LibrenmsSyncError("from_job needs redis_url (or NETBOX_LIBRENMS_REDIS_URL)")
    job = fetch(connection, params["from_job"])
    status = job_info(job)["status"]
    if status != "finished":
        raise LibrenmsSyncError(f"job {job.id} is {status}, not finished: wait for it (librenms_job_status with "
                                "wait: true), or run the search again")
    search = result_of(job) or {}
    if (job.meta or {}).get("kind") != "search" or "search_key" not in search:
        raise LibrenmsSyncError(f"job {job.id} is not a search (librenms_device_filter) job")
    entry = _cache(connection, params).load_search(search["search_key"])
    if not entry:
        raise LibrenmsSyncError("the search results have expired: run the search again")
    return dict(params, devices=entry["device_ids"], filters={}, all_devices=False,
                selections={**entry["selections"], **(params.get("selections") or {})})


def import_module(params: Dict[str, Any], check_mode: bool, diff: bool) -> Dict[str, Any]:
    connection, warnings = _redis_if_any(params)
    if params.get("from_job"):
        params = _from_job(params, connection)
    if connection is not None and params.get("clear_cache"):
        _cache(connection, params).clear()
    count = len(params.get("devices") or [])
    librenms = found = None
    try:
        if not count and connection is not None and (params.get("background") or "auto") == "auto":
            librenms = librenms_client(params)
            found = find_candidates(params, librenms)[1]
            count = len(found)
        # Check mode writes nothing and queues nothing: it always runs here.
        queue_it, notes = (False, []) if check_mode else _queue_or_not("import", params, connection, count)
        if queue_it:
            return _queued("import", params, connection, warnings + notes)
        # The candidates just counted are the ones imported: LibreNMS is listed once.
        result = import_and_report(params, check_mode=check_mode, diff=diff, found=found, librenms=librenms)
    finally:
        if librenms is not None:
            librenms.close()
    result["warnings"] = warnings + notes + result.get("warnings", [])
    return result
