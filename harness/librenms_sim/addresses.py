"""The `ipv4_addresses` and `ipv6_addresses` rows of one device, as LibreNMS's discovery stores them.

The management interface carries the device's `ip`; loopbacks, Cisco's Mgmt-vrf port, router subinterfaces in
customer VRFs (`context_name`), server bonds and WLC virtual interfaces carry more. Every fifth device is dual
stack: a global IPv6 address plus its link-local one (origin `linklayer`) on the management interface.
"""

from __future__ import annotations

import ipaddress

#: The address every Cisco WLC puts on its `virtual` interface: the same on each one.
WLC_VIRTUAL = "1.1.1.1"  # the old default; 192.0.2.1 is the newer one
_LINK_LOCAL = b"\xfe\x80" + bytes(6)


def host_octets(device_id: int) -> tuple:
    """Two octets unique for ids below 65,024, never 0 in the last one (no network id, no broadcast)."""
    return device_id // 254 % 256, device_id % 254 + 1


def dual_stack(device_id: int) -> bool:
    return device_id % 5 == 0


class AddressBook:
    """Collects one device's rows; ids are device_id * 100 + n, so they never depend on request order."""

    def __init__(self, device_id: int):
        self.device_id = device_id
        self.v4: list = []
        self.v6: list = []

    def add(self, port: dict, text: str, context: str = "", origin: str = "manual") -> None:
        interface = ipaddress.ip_interface(text)
        network = interface.network
        network_id = int(network.network_address) % 1_000_003 + 1
        n = len(self.v4) + len(self.v6) + 1
        if interface.version == 4:
            self.v4.append({"ipv4_address_id": self.device_id * 100 + n, "ipv4_address": str(interface.ip),
                            "ipv4_prefixlen": network.prefixlen, "ipv4_network_id": network_id,
                            "port_id": port["port_id"], "context_name": context})
        else:
            self.v6.append({"ipv6_address_id": self.device_id * 100 + n, "ipv6_address": interface.ip.exploded,
                            "ipv6_compressed": interface.ip.compressed, "ipv6_prefixlen": network.prefixlen,
                            "ipv6_origin": origin, "ipv6_network_id": network_id, "port_id": port["port_id"],
                            "context_name": context})

    def add_link_local(self, port: dict) -> None:
        """fe80::/64 from the port's MAC (EUI-64), as the router derives it."""
        mac = port["ifPhysAddress"] or f"02005e{self.device_id:06x}"
        octets = bytearray.fromhex(mac)
        octets[0] ^= 0x02
        address = ipaddress.IPv6Address(_LINK_LOCAL + bytes(octets[:3]) + b"\xff\xfe" + bytes(octets[3:]))
        self.add(port, f"{address}/64", origin="linklayer")


def _first(ports: list, role: str):
    return next((p for p in ports if p["role"] == role and not p["deleted"]), None)


def device_addresses(device: dict, ports: list, dual: bool) -> AddressBook:
    """Every address LibreNMS would hold for the device's ports (deleted ports' addresses are added by the caller)."""
    device_id = device["device_id"]
    book = AddressBook(device_id)
    hi, lo = host_octets(device_id)
    mgmt = _first(ports, "mgmt")
    ip = device.get("ip")
    if mgmt is not None and ip:
        book.add(mgmt, f"{ip}/{32 if mgmt['ifType'] == 'softwareLoopback' else 24}")
    # Linux's `lo` holds only 127.0.0.1 and ::1, which discovery skips.
    loopbacks = [p for p in ports if p["role"] == "loopback" and p["ifName"] != "lo"]
    if loopbacks:
        book.add(loopbacks[-1], f"172.16.{hi}.{lo}/32")
    for port in ports:
        if port["role"] == "oob" and port["ifName"] == "Gi0/0":
            book.add(port, f"192.168.{hi}.{lo}/16", context="Mgmt-vrf")
        elif port["role"] == "sub":
            book.add(port, f"172.31.{hi}.{lo}/24", context=port["ifAlias"])  # the same address in both VRFs
        elif port["ifName"] == "virtual":
            book.add(port, f"{WLC_VIRTUAL}/32")
        elif port["ifName"] in ("bond0", "ens224"):
            book.add(port, f"10.150.{hi}.{lo}/24")
    if dual and mgmt is not None:
        book.add(mgmt, f"2001:db8:{0x100 + (device_id >> 16):x}:{device_id & 0xFFFF:x}::1/64")
        book.add_link_local(mgmt)
        if loopbacks:
            book.add(loopbacks[-1], f"2001:db8:ffff::{device_id:x}/128")
    return book
