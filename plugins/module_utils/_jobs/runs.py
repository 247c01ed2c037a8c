# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the search and the import as a task and a worker both run them.

dispatch.py calls these in the task; worker.py calls them in an `rq worker`. One body for both modes is what
makes a job's result the result the synchronous run would have returned.
"""

from __future__ import annotations

from typing import Any, Dict, List

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import (
    DEFAULT_TIMEOUT,
    CachedReference,
    ResultCache,
    search_fingerprint,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.import_run import run_import
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import run_search


def search_and_cache(params: Options, progress=None, connection=None, librenms=None,
                     found=None) -> Dict[str, Any]:
    """The search, with reference data from the cache and the validated rows stored in it.

    `librenms` and `found` as in run_search: the candidates already listed, and the client that listed them.
    """
    cache = ResultCache.for_options(connection, params) if connection is not None else None
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


def import_and_report(params: Options, progress=None, check_mode: bool = False,
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
