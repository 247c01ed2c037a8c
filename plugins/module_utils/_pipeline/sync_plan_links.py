# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the sync's later steps: IP addresses, primary IPs and cables.

They run after plan_interfaces, on the interfaces it synced (SyncPlan.ports).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan import (
    ENDPOINTS,
    Ref,
    SyncPlan,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.addresses import (
    address_action,
    address_key,
    host_of,
    index_existing,
    management_host,
    primary_action,
    wanted_address,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.cables import cable_action, unique_links
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.interfaces import interface_port


def plan_addresses(plan: SyncPlan, addresses: List[Dict[str, Any]], existing: List[Dict[str, Any]]) -> None:
    """Each synced interface's addresses; one on another object is a conflict unless reassign_ips."""
    settings = plan.settings
    index = index_existing(existing)
    for row in addresses:
        info = plan.ports.get(row["port_id"])
        if info is None:
            continue  # a port not synced: deleted, disabled, filtered or on a device not chosen
        wanted, reason = wanted_address(row, settings["vrf_ids"], settings["include_link_local"])
        if wanted is None:
            plan.count(info["device"], "ip_addresses", "skipped")
            if not row.get("link_local"):
                plan.warnings.append(f"{info['device']} {info['name']}: address skipped: {reason}")
            continue
        key = address_key(wanted["host"], wanted["vrf"])
        label = f"{wanted['address']} on {info['name']}"
        if Ref(("ip", key)) in plan.ids:
            plan.conflict(info["device"], "ip_addresses", label, "LibreNMS lists this address twice; the first wins")
            continue
        current = index.get(key)
        action, details = address_action(wanted, current, info["object_type"], info["value"],
                                         settings["reassign_ips"])
        if action == "conflict":
            plan.conflict(info["device"], "ip_addresses", label, details["reason"])
            continue
        ref = Ref(("ip", key))
        if action == "create":
            plan.add("create", "ip_addresses", info["device"], label, ENDPOINTS["ip"],
                     {"address": wanted["address"], "vrf": wanted["vrf"], "status": "active",
                      "assigned_object_type": info["object_type"], "assigned_object_id": info["value"]}, ref)
        else:
            plan.ids[ref] = current["id"]
            if action == "update":
                payload = {field: change["after"] for field, change in details.items()}
                plan.add("update", "ip_addresses", info["device"], label, ENDPOINTS["ip"],
                         dict(payload, id=current["id"]), changes=details)
            else:
                plan.count(info["device"], "ip_addresses", "unchanged")
        plan.synced_hosts.setdefault((info["target"]["kind"], info["target"]["id"]), {})[wanted["host"]] = (
            ref, wanted["family"], info)


def plan_primary_ips(plan: SyncPlan, targets: List[Dict[str, Any]], librenms_devices: Mapping[int, Any]) -> None:
    """The LibreNMS management address as primary_ip4/6, when it is a synced address of the device on an
    interface that is not management-only. A different primary a person set is drift, kept unless
    update_primary_ip."""
    for target in targets:
        host = management_host(librenms_devices.get(target["librenms_id"]) or {})
        synced = plan.synced_hosts.get((target["kind"], target["id"]), {})
        if host is None or host not in synced or synced[host][2]["mgmt_only"]:
            plan.warnings.append(f"{target['name']}: management address {host or '(none)'} is not a synced address "
                                 "on an interface that is not management-only; primary IP left alone")
            continue
        ref, family, _info = synced[host]
        field = f"primary_ip{family}"
        current = nested_id(target["record"].get(field))
        wanted = plan.ids.get(ref)
        action = primary_action(current, wanted, plan.settings["update_primary_ip"])
        if action == "unchanged":
            plan.count(target["name"], "primary_ips", "unchanged")
        elif action == "drift":
            plan.conflict(target["name"], "primary_ips", field, f"{field} is {current}, set in NetBox, not {host} "
                                                                "from LibreNMS (update_primary_ip is false)")
        else:
            plan.add("update", "primary_ips", target["name"], f"{field} {host}", ENDPOINTS[target["kind"]],
                     {"id": target["id"], field: wanted}, changes={field: {"before": current, "after": host}})


def _remote_end(plan: SyncPlan, link: Mapping[str, Any], by_librenms: Mapping[int, Dict[str, Any]], index):
    """The far interface of a link as an end dict, or (None, why)."""
    if link["remote_device_id"] is None:
        return None, f"neighbour {link['remote_hostname'] or '?'} is unknown to LibreNMS"
    target = by_librenms.get(link["remote_device_id"])
    if target is None:
        return None, f"LibreNMS device {link['remote_device_id']} is not linked to a NetBox device"
    by_port, by_name, _by_parent = index[target["kind"]]
    # LLDP may name the far port by its ifDescr ("TenGigabitEthernet1/2/0/1") where NetBox has its ifName.
    port_id = link["remote_port_id"] or plan.port_names.get((target["librenms_id"], link["remote_port"]))
    if port_id in plan.ports:
        return plan.ports[port_id], None
    record = by_port.get(port_id) if port_id else None
    if record is None:
        parents = [target["id"]] + [member["id"] for member in target["members"].values()]
        record = next((by_name[(p, link["remote_port"])] for p in parents if (p, link["remote_port"]) in by_name), None)
    linked_port = interface_port(record, plan.settings["server_key"]) if record else None
    # Of two LibreNMS ports with one name, the first took the interface: the second has none, in the run that
    # creates that interface as in every later one (else a re-run would cable the first port's interface).
    if record is None or (port_id and linked_port not in (None, port_id)):
        return None, f"{target['name']} has no interface {link['remote_port'] or link['remote_port_id']}"
    if linked_port in plan.ports:
        return plan.ports[linked_port], None
    object_type = "virtualization.vminterface" if target["kind"] == "vm" else "dcim.interface"
    return {"value": record["id"], "object_type": object_type, "device": target["name"], "name": record["name"],
            "type": (record.get("type") or {}).get("value"), "cable": nested_id(record.get("cable")),
            "vm": target["kind"] == "vm"}, None


def plan_cables(plan: SyncPlan, links: List[Dict[str, Any]], all_targets: List[Dict[str, Any]], index) -> None:
    """A cable per link between two free interfaces; an end cabled elsewhere is reported, never rewired."""
    by_librenms = {target["librenms_id"]: target for target in all_targets}
    ends: Dict[Any, Dict[str, Any]] = {}

    def resolve(link):
        local = plan.ports.get(link["local_port_id"])
        remote, reason = _remote_end(plan, link, by_librenms, index)
        if local is None or remote is None:
            return None, None, reason
        ends[local["value"]], ends[remote["value"]] = local, remote
        return local["value"], remote["value"], None

    chosen = [link for link in links if link["local_port_id"] in plan.ports]
    pairs, unresolved = unique_links(chosen, resolve)
    for entry in unresolved:
        local = plan.ports[entry["link"]["local_port_id"]]
        plan.count(local["device"], "cables", "skipped")
        plan.unresolved_links.append({"device": local["device"], "port": local["name"], "reason": entry["reason"]})
    used = set()
    for a_value, b_value in pairs.values():
        a_end, b_end = ends[a_value], ends[b_value]
        label = f"{a_end['device']} {a_end['name']} <> {b_end['device']} {b_end['name']}"
        action, reason = cable_action(a_end, b_end)
        if action == "create" and (a_value in used or b_value in used):
            action, reason = "conflict", "an end is in another link of this run; not cabled twice"
        if action == "skip":
            plan.count(a_end["device"], "cables", "skipped")
        elif action == "conflict":
            plan.conflict(a_end["device"], "cables", label, reason)
        elif action == "unchanged":
            plan.count(a_end["device"], "cables", "unchanged")
        else:
            used.update((a_value, b_value))
            plan.add("create", "cables", a_end["device"], label, ENDPOINTS["cable"], {
                "a_terminations": [{"object_type": a_end["object_type"], "object_id": a_value}],
                "b_terminations": [{"object_type": b_end["object_type"], "object_id": b_value}],
                "status": "connected"})


def unresolved_links_warning(unresolved: List[Dict[str, Any]], shown: int = 3) -> List[str]:
    """One warning for every link left uncabled (an estate has hundreds: phones, hosts, neighbours LibreNMS does
    not poll), with the first few; the result's unresolved_links lists them all."""
    if not unresolved:
        return []
    examples = "; ".join(f"{entry['device']} {entry['port']}: {entry['reason']}" for entry in unresolved[:shown])
    more = f"; and {len(unresolved) - shown} more" if len(unresolved) > shown else ""
    return [f"{len(unresolved)} link(s) not cabled (see unresolved_links): {examples}{more}"]


def synced_address_hosts(addresses: List[Dict[str, Any]], port_ids: Any) -> List[str]:
    """The hosts of the addresses on the given ports: what NetBox is asked about before planning."""
    hosts = []
    for row in addresses:
        if row["port_id"] in port_ids:
            host = host_of(row.get("address"))
            if host:
                hosts.append(host)
    return hosts
