# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: import LibreNMS devices into NetBox (validate afresh, plan, write in bulk).

The import module and the import job both run `run_import`. The devices given (ids, hostnames or rows of
a search) only choose which devices and which per-device selections; NetBox state is always read afresh.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import Writer, apply_plan
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.assess import Progress, assess, no_progress
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.plan import (
    PlanContext,
    build_plan,
    chassis_by_domain,
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


def _custom_field_step(params, netbox) -> Tuple[set, bool, List[str]]:
    """(kinds librenms_id can be written to, whether the field must be created, warnings); nothing written yet."""
    kinds = custom_field_kinds(netbox)
    if kinds is not None:
        missing = set(CUSTOM_FIELD_TYPES) - kinds
        warnings = [f"custom field librenms_id is not enabled for {CUSTOM_FIELD_TYPES[k]}; not written there"
                    for k in sorted(missing)]
        return kinds, False, warnings
    if not params.get("manage_custom_field", True):
        return set(), False, ["custom field librenms_id is absent and manage_custom_field is false: imported devices "
                              "carry no librenms_id, so re-runs recognise them by name only"]
    return set(CUSTOM_FIELD_TYPES), True, []


# Where each kind of write goes: (app, endpoint, model) as NetBox names its permissions (dcim.add_device).
_DEVICES = ("dcim", "devices", "device")
_VMS = ("virtualization", "virtual_machines", "virtualmachine")
_CHASSIS = ("dcim", "virtual_chassis", "virtualchassis")
_FIELDS = ("extras", "custom_fields", "customfield")


def needed_permissions(plan: Dict[str, List[Dict[str, Any]]], create_field: bool) -> Dict[Tuple[str, str, str], set]:
    """The NetBox actions a plan's writes take, per endpoint (apply.py's writes, in the same order)."""
    wanted: Dict[Tuple[str, str, str], set] = {}
    for item in plan["creates"]:
        wanted.setdefault(_DEVICES if item["kind"] == "device" else _VMS, set()).add("add")
    for item in plan["creates"] + plan["completions"]:
        if item.get("virtual_chassis"):
            wanted.setdefault(_CHASSIS, set()).update(("add", "change"))  # created, then given its master
            wanted.setdefault(_DEVICES, set()).update(("add", "change"))  # members created, the master joins
    for item in plan["updates"]:
        wanted.setdefault(_DEVICES if item["kind"] == "device" else _VMS, set()).add("change")
    if create_field:
        wanted.setdefault(_FIELDS, set()).add("add")
    return wanted


def _check_write_permissions(netbox, plan, create_field: bool) -> None:
    """Refuse, before the first write, a token that may not make every write the plan holds."""
    wanted = needed_permissions(plan, create_field)
    missing = netbox.missing_permissions(wanted) if wanted else []
    if missing:
        raise LibrenmsSyncError(
            f"NetBox {masked_url(netbox.url)}: the token may not make this import's writes, so nothing was written: "
            f"it lacks {', '.join(missing)} (give its user these permissions; a token with write disabled lacks "
            "them all)", {"missing_permissions": missing})


def _fail_if_nothing_imported(result: Dict[str, Any]) -> None:
    """A run that wrote nothing because every device failed is a failure, not an `ok` (a CI job must go red)."""
    failures = result["failures"]
    done = result["created"] or result["updated"] or any(
        skip["status"] == "exists" for skip in result["skipped_devices"])
    if not failures or done:
        return
    shown = "; ".join(f"{failure['name']}: {failure['reason']}"[:200] for failure in failures[:5])
    more = f"; and {len(failures) - 5} more" if len(failures) > 5 else ""
    raise LibrenmsSyncError(f"nothing imported: {len(failures)} device(s) failed: {shown}{more}",
                            {"failures": failures[:20], "failed_count": len(failures)})


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
    write = Writer.from_options(params)
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
        plan, result = _plan_and_write(params, candidates, librenms, netbox, write, check_mode, progress)
        result["failures"] = failures + result["failures"]
        _fail_if_nothing_imported(result)
        result["summary"] = _summary(result, len(candidates) + len(failures))
        result["errors"] = [f"{f['name']}: {f['reason']}" for f in result["failures"]]
        result["api_calls"] = api_calls(librenms, netbox)
        if diff:
            result["diff"] = plan_diff(plan)
        return result
    finally:
        if own_client:
            librenms.close()


def _plan_and_write(params, candidates, librenms, netbox, write: Writer, check_mode: bool, progress):
    """Assess, plan, check that the token may make the plan's writes, then write: (plan, result)."""
    kinds, field_created, warnings = _custom_field_step(params, netbox)
    detect = "importable" if params.get("create_virtual_chassis", True) else "device_type"
    assessment = assess(candidates, params, librenms, netbox, detect=detect, progress=progress)
    plan = build_plan(assessment.states, _plan_context(params, assessment, netbox, kinds))
    _check_write_permissions(netbox, plan, field_created)
    if field_created and not check_mode:
        create_custom_field(netbox)
    result = apply_plan(plan, netbox.api, write, check_mode, progress)
    # Given devices are often a part of a search whose selections name them all: only a search of its own warns.
    unseen = [] if params.get("devices") else assessment.warnings
    result["warnings"] = warnings + unseen + result["warnings"]
    result["changed"] = bool(result["created"] or result["updated"] or result["removed_virtual_chassis"]
                             or field_created)
    result["custom_field_created"] = field_created
    result["server_key"] = assessment.server_key
    return plan, result


def _plan_context(params: Options, assessment, netbox, kinds: set) -> PlanContext:
    stacks = params.get("create_virtual_chassis", True)
    return PlanContext(
        assessment.server_key, assessment.index, assessment.options["resolved"], assessment.existing_index,
        assessment.existing_objects, kinds, create_virtual_chassis=stacks,
        update_existing=bool(params.get("update_existing")), migrate_legacy_ids=bool(params.get("migrate_legacy_ids")),
        chassis=chassis_by_domain(netbox.librenms_chassis(assessment.server_key)) if stacks else {})


def _summary(result: Dict[str, Any], total: int) -> Dict[str, int]:
    return {
        "total": total,
        "success_count": len(result["created"]) + len(result["updated"]),
        "failed_count": len(result["failures"]),
        "skipped_count": len(result["skipped_devices"]),
        "virtual_chassis_created": sum(1 for entry in result["created"] + result["updated"]
                                       if entry.get("virtual_chassis")),
    }
