# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the sync's plan, and its first steps (interfaces, MAC addresses).

A plan holds, per object kind in write order, the objects to create, update and delete. A payload may name an
object this run creates before it (a MAC names its new interface): such a value is a Ref, which apply resolves
to the id NetBox gave, so check mode and a real run plan the very same writes.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.interfaces import (
    create_payload,
    desired_fields,
    field_changes,
    interface_name,
    interface_port,
    match_interface,
    skip_reason,
    update_payload,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.macs import mac_action
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.member_position import member_for

# Write order: every kind may name objects of the kinds before it.
KINDS = ("interfaces", "mac_addresses", "primary_macs", "ip_addresses", "primary_ips", "cables")
OUTCOMES = ("created", "updated", "unchanged", "deleted", "conflicts", "failures", "skipped")
ENDPOINTS = {
    "dcim.interface": ("dcim", "interfaces"), "virtualization.vminterface": ("virtualization", "interfaces"),
    "device": ("dcim", "devices"), "vm": ("virtualization", "virtual_machines"),
    "mac": ("dcim", "mac_addresses"), "ip": ("ipam", "ip_addresses"), "cable": ("dcim", "cables"),
}


class Ref(tuple):
    """The id of an object this run creates, known once it is written: ("port", port_id), ("mac", port_id)..."""


class SyncPlan:
    """What a sync writes, per kind and action, with the per-device tally and the reported conflicts."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.items: Dict[str, Dict[str, List[Dict[str, Any]]]] = {
            kind: {"create": [], "update": [], "delete": []} for kind in KINDS}
        self.tally: Dict[str, Dict[str, Dict[str, int]]] = {}
        self.conflicts: List[Dict[str, Any]] = []
        self.warnings: List[str] = []
        self.unresolved_links: List[Dict[str, Any]] = []  # links not cabled: one warning sums them up
        self.ids: Dict[Ref, Any] = {}  # Ref -> id of an existing object, or the Ref itself when it is to be created
        self.ports: Dict[int, Dict[str, Any]] = {}  # synced port id -> the interface it is (see _port_info)
        self.port_names: Dict[Tuple[int, str], int] = {}  # (LibreNMS device id, ifName or ifDescr) -> port id
        # (target kind, target id) -> {host: (Ref of the address, family, port info)}
        self.synced_hosts: Dict[Tuple[str, int], Dict[str, Tuple[Ref, int, Dict[str, Any]]]] = {}

    def count(self, device: str, kind: str, outcome: str, number: int = 1) -> None:
        per_kind = self.tally.setdefault(device, {}).setdefault(kind, dict.fromkeys(OUTCOMES, 0))
        per_kind[outcome] += number

    def add(self, action: str, kind: str, device: str, name: str, endpoint: Tuple[str, str],
            payload: Dict[str, Any], ref: Optional[Ref] = None, changes: Optional[Dict[str, Any]] = None) -> None:
        self.items[kind][action].append({"device": device, "object": name, "endpoint": endpoint,
                                         "payload": payload, "ref": ref, "changes": changes or {}})
        if ref is not None and action == "create":
            self.ids[ref] = ref

    def conflict(self, device: str, kind: str, name: str, reason: str) -> None:
        self.count(device, kind, "conflicts")
        self.conflicts.append({"device": device, "kind": kind, "object": name, "reason": reason})


def _interface_index(records: List[Dict[str, Any]], parent_key: str, server_key: str):
    by_port, by_name, by_parent = {}, {}, {}
    for record in records:
        parent = nested_id(record.get(parent_key))
        by_parent.setdefault(parent, []).append(record)
        by_name[(parent, record["name"])] = record
        port_id = interface_port(record, server_key)
        if port_id is not None:
            by_port.setdefault(port_id, record)
    return by_port, by_name, by_parent


def index_interfaces(components: Mapping[str, List[Dict[str, Any]]], server_key: str) -> Dict[str, Any]:
    """Existing interfaces by librenms port id, by (parent id, name) and by parent, for devices and VMs."""
    device = _interface_index(components["interfaces"], "device", server_key)
    vm = _interface_index(components["vm_interfaces"], "virtual_machine", server_key)
    macs: Dict[Tuple[str, int], List[Dict[str, Any]]] = {}
    for mac in components["mac_addresses"]:
        macs.setdefault((mac.get("assigned_object_type"), mac.get("assigned_object_id")), []).append(mac)
    return {"device": device, "vm": vm, "macs": macs}


def _placement(target: Dict[str, Any], name: str, rules) -> Tuple[str, int, str]:
    """(object type, parent id, parent field) of the interface a port of this target becomes."""
    if target["kind"] == "vm":
        return "virtualization.vminterface", target["id"], "virtual_machine"
    member = member_for(name, rules, target["members"], target["record"])
    return "dcim.interface", member["id"], "device"


def _port_info(plan: SyncPlan, port: Dict[str, Any], target, object_type, existing, value) -> None:
    plan.ports[port["port_id"]] = {
        "value": value, "object_type": object_type, "device": target["name"], "target": target,
        "name": interface_name(port, plan.settings["name_field"]), "type": (existing or {}).get("type"),
        "cable": nested_id((existing or {}).get("cable")), "mgmt_only": bool((existing or {}).get("mgmt_only")),
        "vm": target["kind"] == "vm", "mac": port.get("mac"), "existing": existing,
    }


def plan_interfaces(plan: SyncPlan, target: Dict[str, Any], ports: List[Dict[str, Any]], index) -> None:
    """Create, update or leave each selected port's interface; with delete_missing, delete what LibreNMS lost."""
    settings = plan.settings
    by_port, by_name, by_parent = index[target["kind"]]
    seen = set()
    for port in ports:
        for field in ("ifDescr", "ifName"):
            plan.port_names.setdefault((target["librenms_id"], port[field]), port["port_id"])
        name = interface_name(port, settings["name_field"])
        reason = skip_reason(port, name, settings["name_filter"], settings["skip_states"])
        if reason:
            plan.count(target["name"], "interfaces", "skipped")
            continue
        object_type, parent, parent_field = _placement(target, name, settings["member_rules"])
        if (parent, name) in seen:
            plan.conflict(target["name"], "interfaces", name, "LibreNMS has two ports of this name; the first wins")
            continue
        seen.add((parent, name))
        desired = desired_fields(port, name, settings["server_key"], settings["type_map"], settings["exclude"],
                                 vm=target["kind"] == "vm")
        existing = match_interface(port["port_id"], (parent, name), by_port, by_name)
        endpoint = ENDPOINTS[object_type]
        if existing is None:
            ref = Ref(("port", port["port_id"]))
            payload = dict(create_payload(desired, settings["server_key"]), **{parent_field: parent})
            plan.add("create", "interfaces", target["name"], name, endpoint, payload, ref)
            _port_info(plan, port, target, object_type, {"type": desired.get("type")}, ref)
            continue
        changes = field_changes(desired, existing, settings["server_key"], "type" in settings["exclude"])
        if changes:
            plan.add("update", "interfaces", target["name"], name, endpoint,
                     dict(update_payload(changes), id=existing["id"]), changes=changes)
        else:
            plan.count(target["name"], "interfaces", "unchanged")
        existing = dict(existing, type=desired.get("type") or (existing.get("type") or {}).get("value"))
        _port_info(plan, port, target, object_type, existing, existing["id"])
    if settings["delete_missing"]:
        _plan_deletes(plan, target, ports, by_parent)


def _plan_deletes(plan: SyncPlan, target: Dict[str, Any], ports, by_parent) -> None:
    """Interfaces carrying this server's librenms_id for a port LibreNMS no longer has: only ours, never a
    person's (an interface without a librenms_id for this server is never deleted). A device for which LibreNMS
    lists no port at all is left alone: an empty answer is more often a polling gap than a device without ports."""
    if not ports:
        plan.warnings.append(f"{target['name']}: LibreNMS lists no port; delete_missing deletes nothing here")
        return
    alive = {port["port_id"] for port in ports if not port.get("deleted")}
    parents = [target["id"]] + [member["id"] for member in target["members"].values()]
    kind_type = "virtualization.vminterface" if target["kind"] == "vm" else "dcim.interface"
    for parent in dict.fromkeys(parents):
        for record in by_parent.get(parent, []):
            port_id = interface_port(record, plan.settings["server_key"])
            if port_id is not None and port_id not in alive:
                plan.add("delete", "interfaces", target["name"], record["name"], ENDPOINTS[kind_type],
                         {"id": record["id"]}, changes={"deleted": {"before": record["name"], "after": None}})


def plan_macs(plan: SyncPlan, index) -> None:
    """Each synced interface's MAC as a MAC object assigned to it and made its primary MAC."""
    if "mac_address" in plan.settings["exclude"]:
        return
    for port_id, info in plan.ports.items():
        if not info["mac"]:
            continue
        existing = info["existing"] if isinstance(info["value"], int) else None
        on_interface = index["macs"].get((info["object_type"], info["value"]), []) if existing else []
        primary = nested_id((existing or {}).get("primary_mac_address"))
        mac_id, action, primary_action = mac_action(info["mac"], on_interface, primary)
        label = f"{info['name']} {info['mac']}"
        if action == "create":
            mac_id = Ref(("mac", port_id))
            plan.add("create", "mac_addresses", info["device"], label, ENDPOINTS["mac"],
                     {"mac_address": info["mac"], "assigned_object_type": info["object_type"],
                      "assigned_object_id": info["value"]}, mac_id)
        else:
            plan.count(info["device"], "mac_addresses", "unchanged")
        if primary_action == "set":
            plan.add("update", "primary_macs", info["device"], label, ENDPOINTS[info["object_type"]],
                     {"id": info["value"], "primary_mac_address": mac_id},
                     changes={"primary_mac_address": {"before": primary, "after": info["mac"]}})
        else:
            plan.count(info["device"], "primary_macs", "unchanged")
