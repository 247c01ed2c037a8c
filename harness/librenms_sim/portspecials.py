"""The port, address and link cases the special devices always carry, whatever the estate's size or seed.

Filler devices get the same kinds of things at random; these make sure each case exists at fixed places
(sync_cases.py finds them all, fillers included). Names are the special devices' names (specials.py).
"""

from __future__ import annotations

from harness.librenms_sim.interfaces import Builder

#: (device, ifName, flag): ports LibreNMS keeps but marks.
PORT_FLAGS = (
    ("cisco_stack_relpos0", "Gi2/0/2", "ignore"),
    ("cisco_stack_relpos0", "Gi3/0/2", "disabled"),
)

#: (device, ifName, ifDescr, ifAlias, deleted, address, context): extra SVIs, each with an address.
EXTRA_SVIS = (
    # A VLAN interface removed from the switch: LibreNMS marks the port deleted and keeps its address row.
    ("cisco_stack_relpos0", "Vl999", "Vlan999", "old voice vlan", 1, "10.99.0.1/24", ""),
    # Two customer VRFs reusing one subnet: only a VRF map keeps them apart in NetBox.
    ("cisco_svl_nomaster", "Vl2001", "Vlan2001", "CUST-A", 0, "172.30.1.1/24", "CUST-A"),
    ("cisco_svl_nomaster", "Vl2002", "Vlan2002", "CUST-B", 0, "172.30.1.1/24", "CUST-B"),
    # An anycast gateway: the same address, global table, on two devices.
    ("for_existing_by_id", "Vlan200", "Vlan200", "anycast gw", 0, "10.200.0.1/24", ""),
    ("for_existing_by_name", "Vlan200", "Vlan200", "anycast gw", 0, "10.200.0.1/24", ""),
)

#: Dual stack (global IPv6 plus link-local) on top of every fifth device.
DUAL_STACK = ("cisco_stack_relpos0", "cisco_svl_nomaster", "juniper_vc", "aruba_vsf")

#: Behind NAT: the device's `ip` is on none of its interfaces; the management port holds this instead.
NAT_INSIDE = {"no_hardware": "192.168.250.20/24"}

#: A device LibreNMS never discovered: no ports, so no addresses and no links.
NO_PORTS = ("no_inventory",)

#: Ports but no address at all (IP discovery off); its `ip` is unset too.
NO_ADDRESSES = ("unset_ip",)

#: (device a, port a, device b, port b, how): "both" = each end sees the other; "a_unresolved" = b sees a, but
#: a's LLDP could not resolve b's port: remote_port_id null and " (<mac>)" after the port name.
LINKS = (
    ("cisco_stack_relpos0", "Te1/0/49", "cisco_svl_nomaster", "Te1/2/0/1", "both"),
    ("cisco_stack_relpos0", "Te3/0/49", "cisco_svl_nomaster", "Te2/2/0/1", "both"),
    ("juniper_vc", "xe-1/2/0", "cisco_svl_nomaster", "Te2/2/0/2", "both"),
    ("aruba_vsf", "2/1/25", "cisco_stack_named", "Gi2/0/1", "both"),
    ("juniper_single", "xe-0/1/0", "cisco_standalone_stackable", "Gi1/1/1", "a_unresolved"),
    # An unmanaged switch in between: one port hears two neighbours, and each of them hears it.
    ("cisco_stack_nullserial", "Gi1/0/1", "cisco_standalone_stackable", "Gi1/0/2", "both"),
    ("cisco_stack_nullserial", "Gi1/0/1", "juniper_single", "ge-0/0/2", "both"),
)

#: (device, port, protocol, remote_hostname, remote_port, remote_port_id): neighbours LibreNMS does not know.
UNKNOWN_NEIGHBOURS = (
    ("cisco_stack_relpos0", "Gi1/0/1", "cdp", "SEP00A3D1AABB01", "Port 1", 0),
    ("juniper_vc", "ge-0/0/1", "lldp", "ap-zrh1-01.example.net", "eth0 (a0b1c2d3e4f5)", None),
)

#: The fewest access ports per switch the cases above need.
MIN_FRONT_PORTS = 4


def linked_ports(name: str) -> set:
    """The ifNames of `name` that a special link uses: kept up and unflagged."""
    used = {port for dev, port, *_rest in UNKNOWN_NEIGHBOURS if dev == name}
    for a, port_a, b, port_b, _how in LINKS:
        used |= {port_a} if a == name else set()
        used |= {port_b} if b == name else set()
    return used


def adjust_interfaces(name: str, device: dict, plan: dict, items: list) -> list:
    """The special's interfaces with its forced flags and extra SVIs."""
    if name in NO_PORTS:
        return []
    used = linked_ports(name)
    flags = {port: flag for dev, port, flag in PORT_FLAGS if dev == name}
    for item in items:
        if item["ifName"] in used or item["ifName"] in flags:
            item.update(ignore=0, disabled=0, deleted=0, ifAdminStatus="up", ifOperStatus="up")
        if item["ifName"] in flags:
            item[flags[item["ifName"]]] = 1
    extra = Builder(device, None, plan)
    for dev, if_name, descr, alias, deleted, _address, _context in EXTRA_SVIS:
        if dev == name:
            extra.virtual(if_name, "propVirtual", 1_000_000_000, 1500, "svi", descr=descr, alias=alias,
                          deleted=deleted)
    return items + extra.items


def adjust_addresses(name: str, ports: list, book) -> None:
    """Add the extra SVIs' addresses; move a NAT device's management address to its inside one."""
    if name in NO_ADDRESSES:
        del book.v4[:], book.v6[:]
    by_name = {p["ifName"]: p for p in ports}
    for dev, if_name, _descr, _alias, _deleted, address, context in EXTRA_SVIS:
        if dev == name:
            book.add(by_name[if_name], address, context=context)
    if name in NAT_INSIDE and book.v4:
        host, prefix = NAT_INSIDE[name].split("/")
        book.v4[0].update(ipv4_address=host, ipv4_prefixlen=int(prefix))
