"""The `links` table: what LLDP and CDP discovery found, seen from each polled end.

A cable between two devices LibreNMS polls is two rows, one from each end. In each location, access switches,
leaves, routers, firewalls and controllers uplink to the location's distribution, core, spine, aggregation or
edge devices (round robin), those chain among themselves, servers hang off access switches, and access ports
hear phones (CDP) and access points (LLDP) that LibreNMS does not know: remote_device_id 0, and for LLDP a
remote_port LibreNMS could not resolve, with " (<mac>)" appended. The special cases come first
(portspecials.LINKS, UNKNOWN_NEIGHBOURS).
"""

from __future__ import annotations

from harness.librenms_sim.catalog import PLATFORMS
from harness.librenms_sim.inventory import seeded
from harness.librenms_sim.portspecials import LINKS, UNKNOWN_NEIGHBOURS

UPSTREAM_ROLES = ("dist-sw", "core-sw", "spine", "agg-sw", "edge-rtr")
DOWNSTREAM_ROLES = ("acc-sw", "leaf", "wan-rtr", "fw", "wlc")
_CDP_OS = ("ios", "iosxe")


def link_row(local: dict, local_port: dict, remote: dict, remote_port: dict, resolved: bool = True) -> dict:
    """One direction of a cable; CDP names the far port in full (ifDescr), LLDP by its ifName."""
    cdp = local.get("os") in _CDP_OS and remote.get("os") in _CDP_OS
    name = remote_port["ifDescr"] if cdp else remote_port["ifName"]
    if not resolved:
        name = f"{name} ({remote_port['ifPhysAddress'] or '000000000000'})"
    return {"local_port_id": local_port["port_id"], "local_device_id": local["device_id"],
            "remote_port_id": remote_port["port_id"] if resolved else None, "active": 1,
            "protocol": "cdp" if cdp else "lldp", "remote_hostname": remote.get("sysName") or remote["hostname"],
            "remote_device_id": remote["device_id"], "remote_port": name,
            "remote_platform": remote.get("hardware") if cdp else None,
            "remote_version": remote.get("version") if cdp else None}


def unknown_row(local: dict, local_port: dict, protocol: str, hostname: str, port: str, port_id) -> dict:
    return {"local_port_id": local_port["port_id"], "local_device_id": local["device_id"], "remote_port_id": port_id,
            "active": 1, "protocol": protocol, "remote_hostname": hostname, "remote_device_id": 0, "remote_port": port,
            "remote_platform": "Cisco IP Phone 8845" if protocol == "cdp" else None, "remote_version": None}


class Cabling:
    """Ports already cabled, and the rows made so far."""

    def __init__(self, estate, network):
        self.estate, self.network = estate, network
        self.rows: list = []
        self.used: set = set()

    def port(self, device_id: int, if_name: str) -> dict:
        return next(p for p in self.network.ports(device_id) if p["ifName"] == if_name)

    def cable(self, a: dict, port_a: dict, b: dict, port_b: dict, how: str = "both") -> None:
        self.rows.append(link_row(a, port_a, b, port_b, resolved=how == "both"))
        self.rows.append(link_row(b, port_b, a, port_a))
        self.used |= {port_a["port_id"], port_b["port_id"]}

    def free(self, device_id: int, role: str):
        for port in self.network.ports(device_id):
            if (port["role"] == role and port["port_id"] not in self.used
                    and not (port["deleted"] or port["ignore"] or port["disabled"])
                    and port["ifOperStatus"] == "up"):
                return port
        return None


def _specials(cabling: Cabling) -> None:
    by_name, ids = cabling.estate.by_id, cabling.estate.specials
    for a, port_a, b, port_b, how in LINKS:
        dev_a, dev_b = by_name[ids[a]], by_name[ids[b]]
        cabling.cable(dev_a, cabling.port(ids[a], port_a), dev_b, cabling.port(ids[b], port_b), how)
    for name, port, protocol, hostname, remote_port, remote_port_id in UNKNOWN_NEIGHBOURS:
        local = cabling.port(ids[name], port)
        cabling.rows.append(unknown_row(by_name[ids[name]], local, protocol, hostname, remote_port, remote_port_id))
        cabling.used.add(local["port_id"])


def _by_location(estate, first_filler: int) -> dict:
    out: dict = {}
    for device in estate.devices[first_filler - 1:]:
        role = PLATFORMS[estate.pkeys[device["device_id"]]]["role"]
        out.setdefault(device["location_id"], []).append((role, device))
    return out


def _fillers(cabling: Cabling, rng, first_filler: int) -> None:
    for _location, devices in sorted(_by_location(cabling.estate, first_filler).items(), key=lambda kv: kv[0] or 0):
        upstream = [d for role, d in devices if role in UPSTREAM_ROLES]
        access = [d for role, d in devices if role == "acc-sw"]
        for k, (above, below) in enumerate(zip(upstream, upstream[1:])):
            _uplink(cabling, below, above if k % 2 == 0 else upstream[0])
        for k, device in enumerate(d for role, d in devices if role in DOWNSTREAM_ROLES):
            if upstream:
                _uplink(cabling, device, upstream[k % len(upstream)])
        for k, device in enumerate(d for role, d in devices if role == "srv"):
            if access:
                target = access[k % len(access)]
                port, mgmt = cabling.free(target["device_id"], "front"), cabling.free(device["device_id"], "mgmt")
                if port and mgmt:
                    cabling.cable(device, mgmt, target, port)
        for device in access:
            _endpoints(cabling, device, rng)


def _uplink(cabling: Cabling, device: dict, upstream: dict) -> None:
    mine, theirs = cabling.free(device["device_id"], "uplink"), cabling.free(upstream["device_id"], "front")
    if mine and theirs:
        cabling.cable(device, mine, upstream, theirs)


def _endpoints(cabling: Cabling, device: dict, rng) -> None:
    """A few phones and access points on an access switch's free ports."""
    for n in range(rng.randint(0, 3)):
        port = cabling.free(device["device_id"], "front")
        if port is None:
            return
        mac = f"{rng.getrandbits(48):012x}"
        if rng.random() < 0.5:
            row = unknown_row(device, port, "cdp", f"SEP{mac.upper()}", "Port 1", 0)
        else:
            row = unknown_row(device, port, "lldp", f"ap-{device['device_id']}-{n + 1}", f"eth0 ({mac})", None)
        cabling.rows.append(row)
        cabling.used.add(port["port_id"])


def build_links(estate, network, first_filler: int) -> list:
    """Every row of /resources/links, ordered and numbered as the table would be."""
    cabling = Cabling(estate, network)
    _specials(cabling)
    _fillers(cabling, seeded(f"links:{estate.seed}"), first_filler)
    rows = sorted(cabling.rows, key=lambda r: (r["local_device_id"], r["local_port_id"], r["remote_device_id"]))
    return [{"id": n, **row} for n, row in enumerate(rows, start=1)]
