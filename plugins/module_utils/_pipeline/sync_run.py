# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: sync interfaces, MACs, IPs, primary IPs and cables of linked devices.

Reads LibreNMS in a handful of calls (estate-wide above ESTATE_WIDE_THRESHOLD devices, per device at or
below it), NetBox in bulk, plans every object, then writes in dependency order. The module and the sync job
both run `run_sync`.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import Writer
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import api_calls
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_apply import (
    apply_sync_plan,
    sync_diff,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan import (
    KINDS,
    OUTCOMES,
    SyncPlan,
    index_interfaces,
    plan_interfaces,
    plan_macs,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan_links import (
    plan_addresses,
    plan_cables,
    plan_primary_ips,
    synced_address_hosts,
    unresolved_links_warning,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_sources import (
    librenms_data,
    netbox_targets,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.addresses import resolve_vrf_map
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.interfaces import (
    EXCLUDABLE_FIELDS,
    PORT_STATES,
    compile_filter,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.member_position import (
    compile_member_rules,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    librenms_client,
    netbox_access,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_components import (
    enable_interface_field,
    interface_field_missing,
    macs_on,
    read_addresses,
    read_components,
)

Progress = Callable[[str, int, int], None]


def sync_settings(params: Options) -> Dict[str, Any]:
    """The options the rules read, checked: a bad one fails naming itself, before any connection."""
    exclude = list(params.get("exclude_fields") or [])
    unknown = sorted(set(exclude) - set(EXCLUDABLE_FIELDS))
    if unknown:
        raise LibrenmsSyncError(f"exclude_fields: unknown field(s) {', '.join(unknown)} "
                                f"(known: {', '.join(EXCLUDABLE_FIELDS)})")
    skip_states = params.get("skip_port_states")
    if skip_states is None:
        skip_states = list(PORT_STATES)
    name_field = params.get("interface_name_field") or "ifName"
    if name_field not in ("ifName", "ifDescr"):
        raise LibrenmsSyncError(f"interface_name_field: {name_field!r} is neither ifName nor ifDescr")
    type_map = params.get("interface_type_map") or {}
    if not isinstance(type_map, dict):
        raise LibrenmsSyncError("interface_type_map must map an ifType to a NetBox type or to {speed_kbps: type}")
    return {
        "server_key": server_key_of(params), "name_field": name_field, "type_map": type_map,
        "exclude": exclude, "skip_states": list(skip_states),
        "name_filter": compile_filter(params.get("interface_filter")),
        "member_rules": compile_member_rules(params.get("member_position_rules")),
        "include_link_local": bool(params.get("include_link_local")),
        "reassign_ips": bool(params.get("reassign_ips")),
        "update_primary_ip": bool(params.get("update_primary_ip")),
        "delete_missing": bool(params.get("delete_missing")),
        "vrf_ids": {},
    }


def _field_step(params: Options, netbox, check_mode: bool) -> bool:
    """Whether the librenms_id custom field is (or, in check mode, would be) enabled on interfaces now."""
    if not interface_field_missing(netbox):
        return False
    if not params.get("manage_custom_field", True):
        raise LibrenmsSyncError("the librenms_id custom field is not enabled on interfaces and manage_custom_field "
                                "is false: enable it on dcim.interface and virtualization.vminterface")
    if not check_mode:
        enable_interface_field(netbox)
    return True


def _plan(params: Options, settings: Dict[str, Any], netbox, targets, every, source) -> SyncPlan:
    device_ids, vm_ids = source["read_ids"]
    components = read_components(netbox, device_ids, vm_ids)
    settings["vrf_ids"] = resolve_vrf_map(params.get("vrf_map"), components["vrfs"])
    plan = SyncPlan(settings)
    index = index_interfaces(components, settings["server_key"])
    for target in targets:
        plan_interfaces(plan, target, source["ports"].get(target["librenms_id"], []), index)
    plan_macs(plan, index)
    addresses = read_addresses(netbox, synced_address_hosts(source["addresses"], plan.ports))
    plan_addresses(plan, source["addresses"], addresses)
    plan_primary_ips(plan, targets, source["devices"])
    plan_cables(plan, source["links"], every, index)
    return plan


def run_sync(params: Options, check_mode: bool = False, diff: bool = False,
             progress: Optional[Progress] = None) -> Dict[str, Any]:
    """Plan and write (or, in check mode, predict) the sync of the chosen devices."""
    check_limits(params, ("timeout",))
    settings = sync_settings(params)
    write = Writer.from_options(params)
    librenms = librenms_client(params)
    netbox = netbox_access(params)
    try:
        targets, every, failures = netbox_targets(params, netbox)
        field_enabled = _field_step(params, netbox, check_mode) if targets else False
        source = librenms_data(librenms, targets, every, progress)
        plan = _plan(params, settings, netbox, targets, every, source)
        failures += apply_sync_plan(plan, netbox.api, write, check_mode, progress,
                                    lambda object_type, ids: macs_on(netbox, object_type, ids))
        result = sync_result(plan, targets, failures,
                             source["warnings"] + plan.warnings + unresolved_links_warning(plan.unresolved_links))
        result["changed"] = result["changed"] or field_enabled
        result["custom_field_enabled"] = field_enabled
        result["librenms_endpoints"] = source["mode"]
        result["api_calls"] = api_calls(librenms, netbox)
        if diff:
            result["diff"] = sync_diff(plan)
    finally:
        librenms.close()
    written = sum(result["counts"][kind][outcome] for kind in KINDS for outcome in ("created", "updated",
                                                                                    "unchanged", "deleted"))
    if failures and not written:
        raise LibrenmsSyncError(f"nothing synced: {len(failures)} failure(s), first: "
                                f"{failures[0]['device']}: {failures[0]['error']}"[:1900], result)
    return result


def sync_result(plan: SyncPlan, targets: List[Dict[str, Any]], failures: List[Dict[str, Any]],
                warnings: List[str]) -> Dict[str, Any]:
    """Counts per kind, a summary per device, conflicts, failures and an honest `changed`."""
    counts = {kind: dict.fromkeys(OUTCOMES, 0) for kind in KINDS}
    devices = []
    for target in targets:
        tally = plan.tally.get(target["name"], {})
        for kind, per_kind in tally.items():
            for outcome, number in per_kind.items():
                counts[kind][outcome] += number
        devices.append({"name": target["name"], "kind": target["kind"], "netbox_id": target["id"],
                        "librenms_id": target["librenms_id"],
                        "counts": {kind: tally[kind] for kind in KINDS if kind in tally}})
    changed = any(counts[kind][outcome] for kind in KINDS for outcome in ("created", "updated", "deleted"))
    return {"changed": changed, "counts": counts, "devices": devices, "conflicts": plan.conflicts,
            "unresolved_links": plan.unresolved_links,
            "failures": failures, "errors": [f"{f['device']}: {f['kind']} {f['object']}: {f['error']}"
                                             for f in failures],
            "warnings": warnings}
