# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: import LibreNMS devices into NetBox (validate afresh, plan, write in bulk).

The import module and the import job both run `run_import`. The devices given (ids, hostnames or rows of
a search) only choose which devices and which per-device selections; NetBox state is always read afresh.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import apply_plan
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.assess import Progress, assess, no_progress
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.plan import (
    PlanContext,
    build_plan,
    plan_diff,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import (
    api_calls,
    find_candidates,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.filters import given_filters
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    librenms_client,
    netbox_access,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    CUSTOM_FIELD_TYPES,
    DEFAULT_WRITE_CONCURRENCY,
    create_custom_field,
    custom_field_kinds,
)


def wanted_devices(entries: List[Any]) -> Tuple[List[int], List[str], Dict[Any, Dict[str, Any]]]:
    """Ids, hostnames and per-device selections from `devices` (ids, hostnames or search rows).

    Pure: the import job's caller runs it before queueing, so a bad entry is refused before anything is queued.
    """
    ids: List[int] = []
    hostnames: List[str] = []
    selections: Dict[Any, Dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            if entry.get("device_id") in (None, ""):
                raise LibrenmsSyncError(f"a row in devices has no device_id: {sorted(entry)[:8]}")
            entry_id = as_int(entry["device_id"])
            if entry_id is None:
                raise LibrenmsSyncError(f"devices: a row has device_id {str(entry['device_id'])[:80]!r}, which is "
                                        "not a LibreNMS device id (a whole number)")
            ids.append(entry_id)
            if isinstance(entry.get("selection"), dict) and entry["selection"]:
                selections[entry_id] = entry["selection"]
        elif isinstance(entry, int) or (isinstance(entry, str) and entry.strip().isdigit()):
            ids.append(int(entry))
        elif isinstance(entry, str) and entry.strip():
            hostnames.append(entry.strip().lower())
        else:
            raise LibrenmsSyncError(f"devices entries must be LibreNMS ids, hostnames or search rows, "
                                    f"got {repr(entry)[:80]}")
    return ids, hostnames, selections


def _given_devices(params, librenms) -> Tuple[List[Dict[str, Any]], Dict[Any, Any], List[Dict[str, Any]]]:
    """(candidates, selections from rows, failures for devices LibreNMS does not know): one list call."""
    ids, hostnames, row_selections = wanted_devices(params["devices"])
    listed = librenms.list_devices()
    by_id = {device["device_id"]: device for device in listed}
    by_hostname = {(device.get("hostname") or "").lower(): device for device in listed}
    chosen: Dict[int, Dict[str, Any]] = {}
    failures = []
    for wanted, table in [(i, by_id) for i in ids] + [(h, by_hostname) for h in hostnames]:
        device = table.get(wanted)
        if device is None:
            failures.append({"device_id": wanted if isinstance(wanted, int) else None, "name": str(wanted),
                             "netbox_id": None, "url": None, "reason": "LibreNMS has no such device"})
        else:
            chosen[device["device_id"]] = device
    return list(chosen.values()), row_selections, failures


def _custom_field_step(params, netbox, check_mode: bool) -> Tuple[set, bool, List[str]]:
    """(kinds librenms_id can be written to, whether the field is or would be created, warnings)."""
    kinds = custom_field_kinds(netbox)
    if kinds is not None:
        missing = set(CUSTOM_FIELD_TYPES) - kinds
        warnings = [f"custom field librenms_id is not enabled for {CUSTOM_FIELD_TYPES[k]}; not written there"
                    for k in sorted(missing)]
        return kinds, False, warnings
    if not params.get("manage_custom_field", True):
        return set(), False, ["custom field librenms_id is absent and manage_custom_field is false: imported devices "
                              "carry no librenms_id, so re-runs recognise them by name only"]
    if not check_mode:
        create_custom_field(netbox)
    return set(CUSTOM_FIELD_TYPES), True, []


def run_import(params: Options, check_mode: bool = False, diff: bool = False,
               progress: Optional[Progress] = None, found: Optional[List[Dict[str, Any]]] = None,
               librenms=None) -> Dict[str, Any]:
    """Validate, plan and write.

    A caller that listed the candidates of `filters` already passes them as `found`, with its client as
    `librenms` (which it closes), so LibreNMS is listed once and api_calls counts every call.
    """
    progress = progress or no_progress
    if params.get("devices") and (given_filters(params.get("filters")) or params.get("all_devices")):
        raise LibrenmsSyncError("give either devices or filters/all_devices, not both")
    if not params.get("devices") and not (given_filters(params.get("filters")) or params.get("all_devices")):
        raise LibrenmsSyncError("nothing to import: give devices, filters or all_devices: true")
    batch_size = _batch_size(params)
    wanted_devices(params.get("devices") or [])  # every entry checked before any connection
    own_client = librenms is None
    librenms = librenms_client(params) if own_client else librenms
    netbox = netbox_access(params)
    try:
        failures: List[Dict[str, Any]] = []
        if params.get("devices"):
            candidates, row_selections, failures = _given_devices(params, librenms)
            params = dict(params, selections={**row_selections, **(params.get("selections") or {})})
        else:
            candidates = found if found is not None else find_candidates(params, librenms)[1]
        kinds, field_created, warnings = _custom_field_step(params, netbox, check_mode)
        detect = "importable" if params.get("create_virtual_chassis", True) else "none"
        assessment = assess(candidates, params, librenms, netbox, detect=detect, progress=progress)
        context = PlanContext(
            assessment.server_key, assessment.index, assessment.options["resolved"], assessment.existing_index,
            assessment.existing_objects, kinds, create_virtual_chassis=params.get("create_virtual_chassis", True),
            update_existing=bool(params.get("update_existing")))
        plan = build_plan(assessment.states, context)
        result = apply_plan(plan, netbox.api, batch_size, check_mode, progress, _write_concurrency(params))
        result["failures"] = failures + result["failures"]
        result["warnings"] = warnings + result["warnings"]
        result["changed"] = bool(result["created"] or result["updated"] or field_created)
        result["custom_field_created"] = field_created
        result["summary"] = _summary(result, len(candidates) + len(failures))
        result["errors"] = [f"{f['name']}: {f['reason']}" for f in result["failures"]]
        result["server_key"] = assessment.server_key
        result["api_calls"] = api_calls(librenms, netbox)
        if diff:
            result["diff"] = plan_diff(plan)
        return result
    finally:
        if own_client:
            librenms.close()


def _batch_size(params: Options) -> int:
    """The batch size given (100 when unset); 0 is refused, not read as "unset"."""
    check_limits(params, ("batch_size",))
    value = params.get("batch_size")
    return 100 if value is None else int(value)


def _write_concurrency(params: Options) -> int:
    """write_concurrency as given (the measured default when unset); 0 is refused."""
    check_limits(params, ("write_concurrency",))
    value = params.get("write_concurrency")
    return DEFAULT_WRITE_CONCURRENCY if value is None else int(value)


def _summary(result: Dict[str, Any], total: int) -> Dict[str, int]:
    return {
        "total": total,
        "success_count": len(result["created"]) + len(result["updated"]),
        "failed_count": len(result["failures"]),
        "skipped_count": len(result["skipped_devices"]),
        "virtual_chassis_created": sum(1 for entry in result["created"] + result["updated"]
                                       if entry.get("virtual_chassis")),
    }
