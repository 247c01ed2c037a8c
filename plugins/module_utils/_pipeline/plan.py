# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what an import would write, decided from device states alone (no I/O).

Check mode returns this plan as it is, so it must say exactly what the real run will try: the objects
to create (with their virtual chassis), the fields to bring in line on existing objects, and why every
other device is left alone. The payloads match what netbox-librenms-plugin writes, so either tool
recognises the other's devices.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import AbstractSet, Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import fold
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    legacy_librenms_id,
    may_be_unfinished_chassis,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import match_device_type

CUSTOM_FIELD = "librenms_id"


@dataclass(frozen=True)
class PlanContext:
    """What a plan reads besides the device states: this run's NetBox and the import's choices."""

    server_key: str
    index: Mapping[str, Any]  # build_reference_index(reference data)
    resolved: Mapping[str, Any]  # validate_maps(options)["resolved"]
    existing_index: Mapping[str, Any]  # build_existing_index(devices, vms, server_key)
    existing_objects: Mapping[Tuple[str, int], Dict[str, Any]]  # (kind, NetBox id) -> the object as listed
    custom_field_kinds: AbstractSet[str]  # "device", "vm": where the librenms_id custom field can be written
    create_virtual_chassis: bool = True
    update_existing: bool = False
    migrate_legacy_ids: bool = False  # rewrite a bare librenms_id as {server_key: id}, whatever update_existing says
    # domain -> the virtual chassis NetBox holds with it (chassis_by_domain), reused instead of created twice
    chassis: Mapping[str, List[Dict[str, Any]]] = dataclasses.field(default_factory=dict)


def netbox_status(state: Dict[str, Any]) -> str:
    return "active" if state.get("librenms_status") else "offline"


def vc_domain(server_key: str, device_id: int) -> str:
    return f"librenms-{server_key}-{device_id}"


def chassis_by_domain(chassis: List[Dict[str, Any]]) -> Dict[str, List[Dict[str, Any]]]:
    grouped: Dict[str, List[Dict[str, Any]]] = {}
    for vc in chassis:
        grouped.setdefault(vc.get("domain") or "", []).append(vc)
    return grouped


def _chassis_choice(found: List[Dict[str, Any]]) -> Tuple[Optional[Dict[str, Any]], List[Dict[str, Any]]]:
    """(the chassis of a domain to keep, its empty duplicates to delete).

    A run that NetBox failed in the middle of may have left a chassis whose master never joined, and older versions
    then created a second one: the one with a master, else with the most members, else the oldest is kept.
    """
    if not found:
        return None, []
    keep = max(found, key=lambda vc: (bool(vc.get("master")), vc.get("member_count") or 0, -vc["id"]))
    empty = [vc for vc in found if vc is not keep and not vc.get("master") and not vc.get("member_count")]
    return keep, empty


def _comment(server_key: str, device_id: int) -> str:
    return f"Imported from LibreNMS (server {server_key}, device {device_id}) by netbox_librenms.sync."


def _device_payload(state: Dict[str, Any], name: str, server_key: str, with_custom_field: bool) -> Dict[str, Any]:
    payload = {
        "name": name,
        "site": nested_id(state["site"]),
        "device_type": nested_id(state["device_type"]),
        "role": nested_id(state["role"]),
        "platform": nested_id(state["platform"]),
        "rack": nested_id(state["rack"]),
        "serial": state.get("serial") or "",
        "status": netbox_status(state),
        "comments": _comment(server_key, state["device_id"]),
    }
    if with_custom_field:
        payload["custom_fields"] = {CUSTOM_FIELD: {server_key: state["device_id"]}}
    return payload


def _vm_payload(state: Dict[str, Any], server_key: str, with_custom_field: bool) -> Dict[str, Any]:
    payload = {
        "name": state["name"],
        "cluster": nested_id(state["cluster"]),
        "role": nested_id(state["role"]),
        "platform": nested_id(state["platform"]),
        "status": netbox_status(state),
        "comments": _comment(server_key, state["device_id"]),
    }
    if with_custom_field:
        payload["custom_fields"] = {CUSTOM_FIELD: {server_key: state["device_id"]}}
    return payload


def _virtual_chassis(state: Dict[str, Any], master_payload: Dict[str, Any], context: PlanContext) -> Dict[str, Any]:
    """The chassis, the master's position and one member device per other chassis."""
    vc = state["virtual_chassis"]
    index, resolved, existing = context.index, context.resolved, context.existing_index
    members, skipped = [], []
    for member in vc["members"]:
        if member["is_master"]:
            continue
        serial_taken = member["serial"] and existing["serial"].get(fold(member["serial"]))
        if serial_taken or existing["name"].get(fold(member["name"])):
            what = f"serial {member['serial']}" if serial_taken else f"name {member['name']!r}"
            skipped.append(f"member {member['position']} of {state['name']!r} not created: {what} already in NetBox")
            continue
        own_type = match_device_type(member["model"], index, resolved)[0] if member["model"] else None
        payload = dict(master_payload, name=member["name"], serial=member["serial"] or "",
                       device_type=own_type["id"] if own_type else master_payload["device_type"])
        payload.pop("custom_fields", None)  # members are not LibreNMS devices (as in the plugin)
        members.append({"position": member["position"], "payload": payload})
    domain = vc_domain(context.server_key, state["device_id"])
    keep = _chassis_choice(list(context.chassis.get(domain, ())))[0]
    return {
        "name": state["name"],
        "domain": domain,
        "existing_id": keep["id"] if keep else None,  # a chassis NetBox already holds with this domain: reused
        "master_position": vc["master_position"],
        "members": members,
        "warnings": skipped,
    }


def _master_name(state: Dict[str, Any]) -> str:
    for member in state["virtual_chassis"]["members"]:
        if member["is_master"]:
            return member["name"]
    return state["name"]


def _create(state: Dict[str, Any], context: PlanContext) -> Dict[str, Any]:
    server_key = context.server_key
    with_cf = state["import_as"] in context.custom_field_kinds
    if state["import_as"] == "vm":
        return {"device_id": state["device_id"], "kind": "vm", "name": state["name"],
                "payload": _vm_payload(state, server_key, with_cf), "virtual_chassis": None}
    stacked = bool(context.create_virtual_chassis and state.get("virtual_chassis"))
    name = _master_name(state) if stacked else state["name"]
    payload = _device_payload(state, name, server_key, with_cf)
    return {"device_id": state["device_id"], "kind": "device", "name": name, "payload": payload,
            "virtual_chassis": _virtual_chassis(state, payload, context) if stacked else None}


def _status_value(value: Any) -> Optional[str]:
    return value.get("value") if isinstance(value, dict) else value


def _field_changes(state: Dict[str, Any], current: Dict[str, Any]) -> Dict[str, Any]:
    wanted: Dict[str, Any] = {"status": netbox_status(state)}
    if state.get("platform"):
        wanted["platform"] = state["platform"]["id"]
    if state["existing"]["kind"] == "device":
        if state.get("serial"):
            wanted["serial"] = state["serial"]
        if state.get("device_type"):
            wanted["device_type"] = state["device_type"]["id"]
    have = {
        "status": _status_value(current.get("status")),
        "platform": nested_id(current.get("platform")),
        "serial": current.get("serial") or "",
        "device_type": nested_id(current.get("device_type")),
    }
    return {field: {"before": have[field], "after": value} for field, value in wanted.items() if have[field] != value}


def _update(state: Dict[str, Any], current: Dict[str, Any], context: PlanContext) -> Optional[Dict[str, Any]]:
    """The fields of an existing object to bring in line (without update_existing, a legacy id only), or None."""
    kind = state["existing"]["kind"]
    links = (current.get("custom_fields") or {}).get(CUSTOM_FIELD)
    legacy = legacy_librenms_id(current) is not None
    if not (context.update_existing or (context.migrate_legacy_ids and legacy)):
        return None
    changes = _field_changes(state, current) if context.update_existing else {}
    if kind in context.custom_field_kinds:
        merged = dict(links) if isinstance(links, dict) else {}
        merged[context.server_key] = state["device_id"]
        if links != merged:
            changes[CUSTOM_FIELD] = {"before": links, "after": merged}
    if not changes:
        return None
    payload: Dict[str, Any] = {"id": state["existing"]["id"]}
    for field, change in changes.items():
        if field == CUSTOM_FIELD:
            payload["custom_fields"] = {CUSTOM_FIELD: change["after"]}
        else:
            payload[field] = change["after"]
    return {"device_id": state["device_id"], "kind": kind, "netbox_id": state["existing"]["id"],
            "name": state["existing"]["name"], "url": state["existing"]["url"], "changes": changes,
            "payload": payload}


def _completion(state: Dict[str, Any], current: Dict[str, Any], context: PlanContext) -> Optional[Dict[str, Any]]:
    """The chassis and members of an unfinished stack (see may_be_unfinished_chassis), or None.

    A master already in a chassis is completed only in the chassis of its domain with no other member: a chassis a
    person made, or one with members, is left alone."""
    ours = _chassis_choice(list(context.chassis.get(vc_domain(context.server_key, state["device_id"]), ())))[0]
    in_chassis = nested_id(current.get("virtual_chassis"))
    size = (ours.get("member_count") or 0) if ours and in_chassis == ours["id"] else 0
    if (in_chassis is not None and size != 1) or not (
            context.create_virtual_chassis and state.get("virtual_chassis") and not state["issues"]
            and may_be_unfinished_chassis(state, current, size)):
        return None
    name = _master_name(state)
    if fold(current["name"]) != fold(name):
        return None
    existing = state["existing"]
    payload = _device_payload(state, name, context.server_key, with_custom_field=False)
    return {"device_id": state["device_id"], "kind": "device", "name": name, "netbox_id": existing["id"],
            "url": existing["url"], "virtual_chassis": _virtual_chassis(state, payload, context)}


def _skip_reason(state: Dict[str, Any]) -> str:
    if state["status"] == "conflict":
        return state["existing"]["conflict"]
    if state["status"] == "exists":
        existing = state["existing"]
        return f"already in NetBox as {existing['kind']} {existing['name']!r} (matched by {existing['match']})"
    return "; ".join(state.get("issues") or state.get("review") or ["not ready"])


def build_plan(states: List[Dict[str, Any]], context: PlanContext) -> Dict[str, List[Dict[str, Any]]]:
    """creates, completions (stacks whose chassis a past run left unfinished), updates, skips and removals (empty
    duplicate chassis of a device's domain) for one run."""
    plan: Dict[str, List[Dict[str, Any]]] = {"creates": [], "completions": [], "updates": [], "skips": [],
                                             "removals": []}
    for state in states:
        domain = vc_domain(context.server_key, state["device_id"])
        duplicates = _chassis_choice(list(context.chassis.get(domain, ())))[1]
        if duplicates:
            plan["removals"].append({"device_id": state["device_id"], "domain": domain,
                                     "chassis": [{"id": vc["id"], "name": vc.get("name")} for vc in duplicates]})
        if state["status"] == "ready":
            plan["creates"].append(_create(state, context))
            continue
        if state["status"] == "exists":
            existing = state["existing"]
            current = context.existing_objects.get((existing["kind"], existing["id"]), {})
            completion = _completion(state, current, context)
            if completion:
                plan["completions"].append(completion)
            update = _update(state, current, context)
            if update:
                plan["updates"].append(update)
            if completion or update:
                continue
        existing = state.get("existing") or {}
        plan["skips"].append({
            "device_id": state["device_id"], "name": state["name"], "status": state["status"],
            "reason": _skip_reason(state), "netbox_id": existing.get("id"), "url": existing.get("url"),
        })
    return plan


def plan_diff(plan: Dict[str, List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """Ansible's before/after per object, for --diff."""
    diffs = []
    for create in plan["creates"]:
        after = dict(create["payload"])
        if create["virtual_chassis"]:
            vc = create["virtual_chassis"]
            after["virtual_chassis"] = {"name": vc["name"], "domain": vc["domain"],
                                        "members": [m["payload"]["name"] for m in vc["members"]]}
        diffs.append({"before": {}, "after": after, "before_header": f"{create['kind']} {create['name']} (absent)",
                      "after_header": f"{create['kind']} {create['name']} (LibreNMS {create['device_id']})"})
    for completion in plan["completions"]:
        vc = completion["virtual_chassis"]
        after = {"name": vc["name"], "domain": vc["domain"], "members": [m["payload"]["name"] for m in vc["members"]]}
        diffs.append({"before": {"virtual_chassis": None}, "after": {"virtual_chassis": after},
                      "before_header": f"device {completion['name']} (NetBox {completion['netbox_id']})",
                      "after_header": f"device {completion['name']} (LibreNMS {completion['device_id']})"})
    for removal in plan.get("removals", ()):
        diffs.append({"before": {"virtual_chassis": removal["chassis"]}, "after": {"virtual_chassis": []},
                      "before_header": f"empty duplicate virtual chassis {removal['domain']}",
                      "after_header": f"{removal['domain']} (removed)"})
    for update in plan["updates"]:
        diffs.append({
            "before": {field: change["before"] for field, change in update["changes"].items()},
            "after": {field: change["after"] for field, change in update["changes"].items()},
            "before_header": f"{update['kind']} {update['name']} (NetBox {update['netbox_id']})",
            "after_header": f"{update['kind']} {update['name']} (LibreNMS {update['device_id']})",
        })
    return diffs
