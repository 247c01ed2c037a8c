# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the import state of one LibreNMS device, and the statuses of a run."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, TypedDict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_bool
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_notes import DeviceNotes
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    ExistingMatch,
    drift_warnings,
    find_existing,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    SELECTION_KEYS,
    Match,
    match_platform,
    match_role,
    validate_maps,
)

STATUSES = ("ready", "needs_review", "blocked", "exists", "conflict")


class MemberState(TypedDict):
    position: int
    serial: Optional[str]
    model: Optional[str]
    name: Optional[str]  # the NetBox name vc_member_name_pattern gives it
    is_master: bool


class VirtualChassisState(TypedDict):
    kind: str  # "stack", "juniper_vc" or "aruba_vsf"
    members: List[MemberState]
    master_position: Optional[int]


class DeviceState(TypedDict):
    """One LibreNMS device as a search reports it and the import plans it; JSON-friendly for caches and jobs."""

    status: str  # one of STATUSES
    device_id: int
    hostname: Optional[str]
    sysname: Optional[str]
    name: str  # the NetBox name
    import_as: str  # "device" or "vm"
    issues: List[str]  # what blocks the import
    review: List[str]  # what a person must choose first
    warnings: List[str]
    site: Optional[Match]
    device_type: Optional[Match]
    platform: Optional[Match]
    role: Optional[Match]
    rack: Optional[Match]
    cluster: Optional[Match]
    existing: Optional[ExistingMatch]
    virtual_chassis: Optional[VirtualChassisState]
    os: Optional[str]
    hardware: Optional[str]
    serial: Optional[str]
    ip: Optional[str]
    location: Optional[str]
    type: Optional[str]
    librenms_status: bool
    disabled: bool
    ignore: bool


def selection_for(device: Dict[str, Any], selections: Optional[Dict[Any, Any]]) -> Dict[str, Any]:
    """The user's choices for one device, keyed by its LibreNMS id (int or text) or its hostname.

    The id wins when both keys are present. Ansible turns YAML int keys into text, hence both.
    """
    if not selections:
        return {}
    for key in (device["device_id"], str(device["device_id"])):
        if key in selections:
            return dict(selections[key] or {})
    hostname = (device.get("hostname") or "").lower()
    for key, choice in selections.items():
        if hostname and isinstance(key, str) and key.strip().lower() == hostname:
            return dict(choice or {})
    return {}


def unmatched_selections(selections: Any, devices: Iterable[Dict[str, Any]]) -> List[str]:
    """The keys of `selections` that name none of the devices, by id or hostname (as selection_for reads them)."""
    if not isinstance(selections, dict) or not selections:
        return []
    devices = list(devices)
    ids = {str(device["device_id"]) for device in devices}
    hostnames = {(device.get("hostname") or "").lower() for device in devices}
    return [str(key) for key in selections if str(key) not in ids and str(key).strip().lower() not in hostnames]


def build_device_state(device: Dict[str, Any], index: Dict[str, Any], existing_index: Dict[str, Any],
                       options: Options, selection: Optional[Dict[str, Any]] = None, *,
                       vc: Optional[Dict[str, Any]] = None, chassis_model: Optional[str] = None) -> DeviceState:
    """Everything known about importing one canonical device, with its status.

    ``options`` should come from validate_maps (validated here otherwise, on every call);
    ``vc`` from detect_virtual_chassis; ``chassis_model`` from the inventory of a standalone device.
    """
    if "resolved" not in options:
        options = validate_maps(options, index)
    selection = dict(selection or {})
    unknown = sorted(str(key) for key in selection if key not in SELECTION_KEYS)
    if unknown:
        raise LibrenmsSyncError(
            f"Unknown selection key {', '.join(unknown)}; valid keys are: {', '.join(SELECTION_KEYS)}")
    notes = DeviceNotes(device, index, options, selection)
    name = notes.name()
    existing = find_existing(device, name, existing_index, server_key_of(options))
    known = existing_index.get("by_ref", {}).get((existing["kind"], existing["id"])) if existing else None
    # A device NetBox holds as a VM is a VM row: its device checks (device type, site) would only mislead.
    as_vm = as_bool(selection.get("as_vm")) or bool(known and known["kind"] == "vm" and not existing["conflict"])
    role, problem = match_role(device, index, options["resolved"], notes.chosen("role"))
    notes.block(problem)
    platform = match_platform(device.get("os"), index, options["resolved"])
    if platform is None:
        notes.warnings.append(f"no NetBox platform matches os {device.get('os')!r}; add it to platform_map")
    parts: Dict[str, Any] = {"site": None, "device_type": None, "rack": None, "cluster": None, "role": role,
                             "virtual_chassis": None}
    parts.update(notes.vm_parts(role, vc, (known or {}).get("cluster")) if as_vm
                 else notes.device_parts(name, role, vc, chassis_model))
    status = _status(existing, known, notes, options)
    if status == "exists":
        notes.warnings.extend(drift_warnings(device, name, existing, known, parts["device_type"], index,
                                             server_key_of(options)))
    return DeviceState(
        status=status, device_id=device["device_id"], hostname=device.get("hostname"),
        sysname=device.get("sysname"), name=name, import_as="vm" if as_vm else "device",
        issues=notes.issues, review=notes.review, warnings=notes.warnings,
        site=parts["site"], device_type=parts["device_type"], platform=platform, role=parts["role"],
        rack=parts["rack"], cluster=parts["cluster"], existing=existing,
        virtual_chassis=parts["virtual_chassis"],
        os=device.get("os"), hardware=device.get("hardware"), serial=device.get("serial"),
        ip=device.get("ip"), location=device.get("location"), type=device.get("type"),
        librenms_status=bool(device.get("status")), disabled=bool(device.get("disabled")),
        ignore=bool(device.get("ignore")),
    )


def _status(existing: Optional[ExistingMatch], known: Optional[Dict[str, Any]], notes: DeviceNotes,
            options: Options) -> str:
    if existing and existing["conflict"]:
        return "conflict"
    if existing and existing["match"] == "legacy_id" and not options.get("migrate_legacy_ids"):
        what = f"NetBox {'VM' if known['kind'] == 'vm' else 'device'} {known['name']!r}"
        notes.review.append(
            f"legacy id: which server? {what} holds the bare librenms_id {known['legacy_id']}, written before "
            f"plugin 0.4.4 without a server key; if it is this device of server {server_key_of(options)!r}, import "
            "with migrate_legacy_ids: true to rewrite it, else correct the custom field in NetBox")
        return "needs_review"
    if existing:
        return "exists"
    return "blocked" if notes.issues else "needs_review" if notes.review else "ready"


def merge_choice(selection: Optional[Dict[str, Any]], role: Any = None, cluster: Any = None,
                 rack: Any = None) -> Dict[str, Any]:
    """A new selection with the given choices; choosing a cluster makes the device a VM import."""
    merged = dict(selection or {})
    for key, value in (("role", role), ("cluster", cluster), ("rack", rack)):
        if value not in (None, ""):
            merged[key] = value
    if cluster not in (None, ""):
        merged["as_vm"] = True
    return merged


def apply_choice(device: Dict[str, Any], index: Dict[str, Any], existing_index: Dict[str, Any],
                 options: Options, selection: Optional[Dict[str, Any]] = None, *,
                 vc: Optional[Dict[str, Any]] = None, chassis_model: Optional[str] = None,
                 role: Any = None, cluster: Any = None, rack: Any = None) -> Dict[str, Any]:
    """The state recomputed after a role, cluster or rack choice, through the very same rules."""
    return build_device_state(device, index, existing_index, options,
                              merge_choice(selection, role=role, cluster=cluster, rack=rack),
                              vc=vc, chassis_model=chassis_model)


def mark_duplicate_names(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Copies of the states where candidates sharing a name in one site (one cluster for VMs) are blocked.

    NetBox names are unique per site for devices and per cluster for VMs, case-insensitively.
    """
    groups: Dict[Tuple[str, Any, str], List[int]] = {}
    for position, state in enumerate(states):
        scope = state.get("cluster") if state["import_as"] == "vm" else state.get("site")
        if state["status"] in ("exists", "conflict") or not scope:
            continue
        groups.setdefault((state["import_as"], scope["id"], state["name"].lower()), []).append(position)
    marked = [dict(state) for state in states]
    for positions in groups.values():
        if len(positions) < 2:
            continue
        ids = ", ".join(str(states[position]["device_id"]) for position in positions)
        for position in positions:
            others = ", ".join(f"{states[other]['device_id']} ({states[other]['hostname']})"
                               for other in positions if other != position)
            state = marked[position]
            in_cluster = state["import_as"] == "vm"
            scope = f"cluster {state['cluster']['name']!r}" if in_cluster else f"site {state['site']['name']!r}"
            state["issues"] = [
                *state["issues"],
                f"name {state['name']!r} is also the name of LibreNMS device {others} in {scope}: give all but "
                f"one of them another name with selections.<id>.name (ids {ids})",
            ]
            state["status"] = "blocked"
    return marked


def status_counts(items: Iterable[Mapping[str, Any]]) -> Dict[str, int]:
    """How many device states (or report rows) have each status, in the order of STATUSES, and the total."""
    counts = {status: 0 for status in STATUSES}
    total = 0
    for item in items:
        counts[item["status"]] = counts.get(item["status"], 0) + 1
        total += 1
    counts["total"] = total
    return counts


def sort_states(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """States ordered by name (case-insensitive), then LibreNMS id, for stable output."""
    return sorted(states, key=lambda state: (state["name"].lower(), state["device_id"]))
