"""Where the estate's port, address and link special cases are, for tests of the sync.

    from harness.librenms_sim.estate import build_estate
    from harness.librenms_sim.sync_cases import sync_cases, special_port
    cases = sync_cases(build_estate(seed=42, size=300))
    cases["stack_member_ports"][0]   # {"device_id": 1, "port_id": 1011, "ifName": "Gi2/0/1", "member": 2, ...}
    special_port(estate, "juniper_vc", "xe-1/2/0")["port_id"]

Everything is found by scanning the same deterministic estate the simulator serves (filler devices
included); the special devices always carry at least one of each (portspecials.py). Each case is a list of
small dicts (ids, names, the values that make the case).
"""

from __future__ import annotations

import collections
import re

from harness.librenms_sim.portspecials import LINKS, UNKNOWN_NEIGHBOURS

_SUFFIX = re.compile(r" \([0-9a-f]{12}\)$")
VIRTUAL_TYPES = ("softwareLoopback", "propVirtual", "l2vlan", "tunnel", "other")


def special_port(estate, special: str, if_name: str) -> dict:
    """The stored port `if_name` of the special device named `special` (KeyError if there is none)."""
    for port in estate.network.ports(estate.specials[special]):
        if port["ifName"] == if_name:
            return port
    raise KeyError(f"{special} has no port {if_name}")


def _port(port: dict, **extra) -> dict:
    return {"device_id": port["device_id"], "port_id": port["port_id"], "ifName": port["ifName"], **extra}


def _port_cases(estate) -> dict:
    cases: dict = collections.defaultdict(list)
    for device in estate.devices:
        device_id = device["device_id"]
        ports = estate.network.ports(device_id)
        if not ports:
            cases["devices_without_ports"].append({"device_id": device_id})
        kind, os_name = estate.plans[device_id].get("kind"), device.get("os")
        for port in ports:
            member = port["member"]
            if kind in ("cisco_stack", "cisco_svl", "aruba") and member and member >= 2:
                cases["stack_member_ports"].append(_port(port, member=member, kind=kind))
            if os_name == "junos" and member and member >= 1:
                cases["juniper_fpc_ports"].append(_port(port, fpc=member, position=member + 1))
            for flag, case in (("disabled", "disabled_ports"), ("ignore", "ignored_ports"),
                               ("deleted", "deleted_ports")):
                if port[flag]:
                    cases[case].append(_port(port))
            _port_values(cases, port)
    return cases


def _port_values(cases: dict, port: dict) -> None:
    if port["ifType"] == "ieee8023adLag":
        cases["lag_ports"].append(_port(port))
    if port["ifType"] in VIRTUAL_TYPES:
        cases["virtual_ports"].append(_port(port, ifType=port["ifType"]))
    if port["ifAlias"] and port["ifAlias"] == port["ifName"]:
        cases["alias_equals_name"].append(_port(port))
    if not port["ifPhysAddress"]:
        cases["empty_mac_ports"].append(_port(port))
    if not port["ifSpeed"]:
        cases["zero_speed_ports"].append(_port(port))
    if port["ifAdminStatus"] is None:
        cases["admin_status_null_ports"].append(_port(port))
    if port["ifMtu"] is None:
        cases["mtu_null_ports"].append(_port(port))
    for key, case in (("ifSpeed", "speed_examples"), ("ifMtu", "mtu_examples")):
        if all(entry[key] != port[key] for entry in cases[case]):
            cases[case].append(_port(port, **{key: port[key]}))


def _address_cases(estate, cases: dict) -> None:
    network = estate.network
    seen = collections.defaultdict(set)
    for device in estate.devices:
        device_id = device["device_id"]
        ports = {p["port_id"]: p for p in network.ports(device_id)}
        book = network.addresses(device_id)
        hosts = {r["ipv4_address"] for r in book.v4} | {r["ipv6_compressed"] for r in book.v6}
        if not book.v4 and not book.v6:
            cases["devices_without_addresses"].append({"device_id": device_id})
        elif device.get("ip") and device["ip"] not in hosts:
            cases["primary_ip_not_on_device"].append({"device_id": device_id, "ip": device["ip"]})
        for row in book.v4 + book.v6:
            host = row.get("ipv4_address") or row["ipv6_compressed"]
            entry = {"device_id": device_id, "port_id": row["port_id"], "address": host,
                     "prefixlen": row.get("ipv4_prefixlen") or row.get("ipv6_prefixlen"),
                     "context_name": row["context_name"]}
            seen[(row["context_name"], host)].add(device_id)
            if ports[row["port_id"]]["deleted"]:
                cases["address_on_deleted_port"].append(entry)
            if row["context_name"]:
                cases["vrf_addresses"].append(entry)
            if "ipv6_address" in row:
                cases["link_local_addresses" if row["ipv6_origin"] == "linklayer" else "ipv6_addresses"].append(entry)
    cases["duplicate_addresses"] = [{"context_name": context, "address": host, "device_ids": sorted(ids)}
                                    for (context, host), ids in sorted(seen.items()) if len(ids) > 1]


def _link_cases(estate, cases: dict) -> None:
    links = estate.network.links()
    ends = {(r["local_port_id"], r["remote_port_id"]) for r in links}
    heard = collections.Counter(r["local_port_id"] for r in links if r["remote_device_id"])
    for row in links:
        entry = {"id": row["id"], "local_device_id": row["local_device_id"], "local_port_id": row["local_port_id"],
                 "remote_device_id": row["remote_device_id"], "remote_port_id": row["remote_port_id"],
                 "remote_port": row["remote_port"]}
        if row["remote_port_id"] and (row["remote_port_id"], row["local_port_id"]) in ends \
                and row["local_port_id"] < row["remote_port_id"]:
            cases["links_listed_twice"].append(entry)
        if _SUFFIX.search(row["remote_port"] or ""):
            cases["unresolved_far_ends"].append(entry)
        if row["remote_device_id"] and not row["remote_port_id"]:
            cases["known_device_unresolved_port"].append(entry)
        if not row["remote_device_id"]:
            cases["unknown_neighbours"].append(entry)
        if heard[row["local_port_id"]] > 1:
            cases["port_with_two_neighbours"].append(entry)


def sync_cases(estate) -> dict:
    """Every case name -> its entries (see the module docstring); names are stable, lists may grow."""
    cases = _port_cases(estate)
    _address_cases(estate, cases)
    _link_cases(estate, cases)
    return dict(cases)


#: The special devices' fixed cases, by name, for tests that want one known instance.
SPECIAL_LINKS = LINKS
SPECIAL_UNKNOWN_NEIGHBOURS = UNKNOWN_NEIGHBOURS
