"""B6's objects worked out from the simulated estate with issue 13's rules: the stand-in for what a sync writes
until librenms_device_sync exists to be read back (bench/sync_data.read_back). Runs in a bench child.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Callable, Dict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import (
    normalize_address,
    normalize_link,
    normalize_port,
)

from bench.sync_data import SERVER_KEY, targets
from harness.librenms_sim.estate import build_estate

ETHERNET_BY_SPEED = {10**6: "1000base-t", 10**7: "10gbase-x-sfpp", 25 * 10**6: "25gbase-x-sfp28",
                     40 * 10**6: "40gbase-x-qsfpp", 100 * 10**6: "100gbase-x-qsfp28"}
VIRTUAL = ("softwareLoopback", "propVirtual", "l2vlan", "tunnel")
UNCABLED = ("virtual", "lag")


def _type(port: dict) -> str:
    if port["ifType"] == "ethernetCsmacd":
        return ETHERNET_BY_SPEED.get(port["speed_kbps"], "other")
    if port["ifType"] == "ieee8023adLag":
        return "lag"
    return "virtual" if port["ifType"] in VIRTUAL else "other"


def _member_device(master: dict, raw: dict, kind: str, found: Dict[str, Any]) -> int:
    chassis = master.get("virtual_chassis")
    if not chassis or raw["member"] is None:
        return master["id"]
    position = raw["member"] + 1 if kind == "juniper" else raw["member"]
    return found["members"].get(chassis["id"], {}).get(position, master)["id"]


def _interfaces(estate, found: Dict[str, Any], out: Dict[str, list]) -> tuple:
    """Interfaces and MACs; returns port_id -> (device, name, type) and (librenms id, ifName or ifDescr) -> port_id."""
    where: Dict[int, tuple] = {}
    named: Dict[tuple, int] = {}
    for librenms_id, master in sorted(found["by_librenms"].items()):
        kind = estate.plans.get(librenms_id, {}).get("kind")
        for raw in estate.network.ports(librenms_id):
            port = normalize_port(raw)
            if port["deleted"] or port["disabled"] or port["ignored"]:
                continue
            device = _member_device(master, raw, kind, found)
            payload = {"device": device, "name": port["ifName"], "type": _type(port), "speed": port["speed_kbps"],
                       "mtu": port["mtu"], "description": "" if port["ifAlias"] == port["ifName"] else port["ifAlias"],
                       "enabled": port["enabled"] is not False,
                       "custom_fields": {"librenms_id": {SERVER_KEY: port["port_id"]}}}
            out["interfaces"].append(payload)
            where[port["port_id"]] = (device, port["ifName"], payload["type"])
            named[(librenms_id, port["ifName"])] = named[(librenms_id, port["ifDescr"])] = port["port_id"]
            if port["mac"]:
                out["macs"].append({"device": device, "interface": port["ifName"], "mac": port["mac"]})
    return where, named


def _addresses(estate, found: Dict[str, Any], where: Dict[int, tuple], out: Dict[str, list]) -> None:
    """Global table only (no vrf_map): the first owner of a host address keeps it, as NetBox enforces."""
    taken = set()
    for librenms_id, master in sorted(found["by_librenms"].items()):
        v4, v6 = estate.network.live_addresses(librenms_id)
        for row in v4 + v6:
            address = normalize_address(row)
            host = str(ipaddress.ip_interface(address["address"]).ip)
            if address["link_local"] or address["port_id"] not in where or host in taken:
                continue
            taken.add(host)
            device, name = where[address["port_id"]][:2]
            out["ips"].append({"device": device, "interface": name, "address": address["address"]})
            if host == estate.by_id[librenms_id].get("ip") and device == master["id"]:
                out["primary"].append({"device": device, "address": address["address"]})


def _cables(estate, where: Dict[int, tuple], named: Dict[tuple, int], out: Dict[str, list]) -> None:
    """One cable per link seen from either end, both ends resolved (port id, else name), neither end cabled."""
    cabled = set()
    for raw in estate.network.links():
        link = normalize_link(raw)
        near = where.get(link["local_port_id"])
        far_id = link["remote_port_id"] or named.get((link["remote_device_id"], link["remote_port"]))
        far = where.get(far_id)
        if not near or not far or near[2] in UNCABLED or far[2] in UNCABLED:
            continue
        ends = {near[:2], far[:2]}
        if len(ends) < 2 or ends & cabled:
            continue
        cabled |= ends
        out["cables"].append({"a": list(near[:2]), "b": list(far[:2])})


def derive(estate, found: Dict[str, Any]) -> Dict[str, list]:
    """What a sync of every linked device writes, worked out from the estate (the stand-in until a sync runs).

    Runs in a bench child, where the collection is importable.
    """
    out: Dict[str, list] = {"interfaces": [], "macs": [], "ips": [], "primary": [], "cables": []}
    where, named = _interfaces(estate, found, out)
    _addresses(estate, found, where, out)
    _cables(estate, where, named, out)
    return out


def sync_derive(args: dict) -> Callable[[], dict]:
    """bench.child mode: the objects for the estate of (seed, size, front_ports) and NetBox's linked devices."""
    from bench.child import _counted_netbox

    api, _counter = _counted_netbox()

    def work():
        estate = build_estate(seed=args["seed"], size=args["size"], front_ports=args["front_ports"])
        return {"objects": derive(estate, targets(api))}

    return work
