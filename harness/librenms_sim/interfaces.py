"""Which interfaces each platform has, named and typed as LibreNMS stores them (ifName, ifDescr, ifType, ...).

A stack member's or virtual-chassis member's interfaces carry its number the vendor's way: Cisco
`GigabitEthernet2/0/1` on member 2, Juniper `ge-1/0/0` on FPC 1, Aruba CX `2/1/1` on VSF member 2.
`front` is the number of access ports per switch (or per member); uplinks, LAGs, SVIs, loopbacks, tunnels and
management ports come on top. Every choice draws from the device's own Random, so a device's interfaces do
not depend on which other devices were asked for first.
"""

from __future__ import annotations

G = 1_000_000_000

# The first three octets of every MAC a vendor's device hands out (the rest encodes device and port).
OUI = {"ios": "00a3d1", "iosxe": "7c21d8", "junos": "f4a739", "eos": "001c73", "arubaos-cx": "883a30",
       "fortigate": "704ca5", "linux": "b8ca3a", "ciscowlc": "00fe7a", "arubaos": "000b86", "apc": "0080a3",
       "netapp": "00a098"}


class Builder:
    """Collects one device's interfaces in ifIndex order; `role` and `member` are kept for the test cases."""

    def __init__(self, device: dict, rng, plan: dict):
        self.device, self.rng, self.plan = device, rng, plan
        self.items: list = []
        self.oui = OUI.get(device.get("os") or "", "02005e")

    def add(self, name, kind, speed, mtu, *, descr=None, role="front", member=None, admin="up", oper=None,
            alias="", mac=True, **extra):
        item = {"ifName": name, "ifDescr": descr or name, "ifAlias": alias, "ifType": kind, "ifSpeed": speed,
                "ifMtu": mtu, "ifAdminStatus": admin, "ifOperStatus": oper or ("up" if admin == "up" else "down"),
                "mac": mac, "role": role, "member": member, "ifVlan": "", "ifTrunk": None,
                "ignore": 0, "disabled": 0, "deleted": 0}
        item.update(extra)
        self.items.append(item)
        return item

    def access(self, name, descr, speed, mtu, member):
        """A front-panel port: mostly up, some unplugged, some shut, a few ignored, disabled or deleted in LibreNMS."""
        rng = self.rng
        draw = rng.random()
        admin, oper = ("down", "down") if draw < 0.08 else ("up", "up" if draw < 0.72 else "down")
        alias = rng.choice(("", "", "user desk", "printer", "AP", "camera")) if oper == "up" else ""
        item = self.add(name, "ethernetCsmacd", speed, mtu, descr=descr, member=member, admin=admin, oper=oper,
                        alias=alias, ifVlan=str(rng.choice((10, 20, 30, 100))), ifTrunk="")
        flag = rng.random()
        if flag < 0.01:
            item["ignore"] = 1
        elif flag < 0.02:
            item["disabled"] = 1
        elif flag < 0.025:
            item["deleted"] = 1
        return item

    def uplink(self, name, descr, speed, mtu, member, present=True):
        """An uplink slot; an empty SFP cage reports notPresent and ifSpeed 0."""
        return self.add(name, "ethernetCsmacd", speed if present else 0, mtu, descr=descr, role="uplink",
                        member=member, oper="up" if present else "notPresent", ifVlan="1", ifTrunk="dot1Q",
                        alias="uplink" if present else "")

    def lag(self, name, speed, mtu, descr=None):
        return self.add(name, "ieee8023adLag", speed, mtu, descr=descr, role="lag", ifTrunk="dot1Q", ifVlan="1")

    def virtual(self, name, kind, speed, mtu, role, descr=None, mac=None, **extra):
        """SVIs and subinterfaces share the device's base MAC; loopbacks and tunnels have none ("")."""
        mac = kind in ("propVirtual", "l2vlan") if mac is None else mac
        return self.add(name, kind, speed, mtu, descr=descr, role=role, mac=mac, **extra)


def members_of(plan: dict) -> int:
    if plan.get("kind") in ("cisco_stack", "cisco_svl", "aruba"):
        return max(1, len(plan.get("members") or ()))
    if plan.get("kind") == "juniper":
        return max(1, len(plan.get("fpcs") or ()))
    return 1


def cisco_switch(b: Builder, pkey: str, front: int) -> None:
    members = members_of(b.plan)
    uplinks = {"c9300": (25 * G, "TwentyFiveGigE", "Twe"), "c9200l": (G, "GigabitEthernet", "Gi")}
    up_speed, up_long, up_short = uplinks.get(pkey, (10 * G, "TenGigabitEthernet", "Te"))
    up_slot = 0 if pkey == "c2960x" else 1
    for m in range(1, members + 1):
        for n in range(1, front + 1):
            b.access(f"Gi{m}/0/{n}", f"GigabitEthernet{m}/0/{n}", G, 1500, m)
        for n in (1, 2):
            first = 49 if up_slot == 0 else 1
            present = members == 1 or n == 1
            b.uplink(f"{up_short}{m}/{up_slot}/{first + n - 1}", f"{up_long}{m}/{up_slot}/{first + n - 1}", up_speed,
                     1500, m, present)
    if pkey == "c2960x":
        b.add("Fa0", "ethernetCsmacd", 100_000_000, 1500, descr="FastEthernet0", role="oob", admin="down")
    else:
        b.add("Gi0/0", "ethernetCsmacd", G, 1500, descr="GigabitEthernet0/0", role="oob", member=0)
    b.lag("Po1", 2 * up_speed, 1500, descr="Port-channel1")
    b.virtual("Vl1", "propVirtual", G, 1500, "svi", descr="Vlan1", admin="down")
    b.virtual("Vl100", "propVirtual", G, 1500, "mgmt", descr="Vlan100", alias="management")
    b.virtual("Lo0", "softwareLoopback", 8 * G, 1514, "loopback", descr="Loopback0")
    if pkey != "c2960x":
        b.virtual("Nu0", "other", 4294967295, 1500, "null", descr="Null0")


def cisco_core(b: Builder, front: int) -> None:
    """C9400: one chassis, or two as StackWise Virtual; `Te2/1/0/1` is chassis 2, slot 1 (four numbers)."""
    chassis = members_of(b.plan) if b.plan.get("kind") == "cisco_svl" else 0
    for m in range(1, max(chassis, 1) + 1):
        prefix = f"{m}/" if chassis else ""
        member = m if chassis else None
        for n in (1, 2):
            b.uplink(f"Fo{prefix}1/0/{n}", f"FortyGigabitEthernet{prefix}1/0/{n}", 40 * G, 9198, member)
        for slot in (2, 3):
            for n in range(1, front // 2 + 2):
                b.access(f"Te{prefix}{slot}/0/{n}", f"TenGigabitEthernet{prefix}{slot}/0/{n}", 10 * G, 9198, member)
    b.lag("Po1", 80 * G, 9198, descr="Port-channel1")
    b.virtual("Vl100", "propVirtual", G, 1500, "mgmt", descr="Vlan100", alias="management")
    b.virtual("Lo0", "softwareLoopback", 8 * G, 1514, "loopback", descr="Loopback0")


def cisco_router(b: Builder, front: int) -> None:
    for n in range(3):
        b.uplink(f"Gi0/0/{n}", f"GigabitEthernet0/0/{n}", G, 1500, None, present=n < 2)
    for n in range(max(2, front // 4)):
        b.access(f"Gi0/1/{n}", f"GigabitEthernet0/1/{n}", G, 1500, None)
    b.add("Gi0", "ethernetCsmacd", G, 1500, descr="GigabitEthernet0", role="oob")
    for vlan, vrf in ((100, "CUST-A"), (200, "CUST-B")):
        b.virtual(f"Gi0/0/1.{vlan}", "l2vlan", G, 1500, "sub", descr=f"GigabitEthernet0/0/1.{vlan}", alias=vrf)
    for n in range(2):
        b.virtual(f"Tu{n}", "tunnel", 100_000, 1476, "tunnel", descr=f"Tunnel{n}", alias=f"DMVPN hub {n + 1}")
    b.virtual("Lo0", "softwareLoopback", 8 * G, 1514, "mgmt", descr="Loopback0")
    b.virtual("Nu0", "other", 4294967295, 1500, "null", descr="Null0")


def juniper(b: Builder, pkey: str, front: int) -> None:
    fpcs = members_of(b.plan)
    if pkey == "mx204":
        for n in range(4):
            b.uplink(f"et-0/0/{n}", None, 100 * G, 9192, 0, present=n < 2)
        for n in range(front):
            b.access(f"xe-0/1/{n}", None, 10 * G, 9192, 0)
        b.virtual("gr-0/0/0", "tunnel", 800 * G // 100, 9192, "tunnel")
        mgmt = "re0:mgmt-0" if b.plan.get("class0") else "fxp0"
        b.add(mgmt, "ethernetCsmacd", G, 1514, role="mgmt")
    else:
        up = 2 if pkey == "ex4300" else 1
        for f in range(fpcs):
            for n in range(front):
                b.access(f"ge-{f}/0/{n}", None, G, 1514, f)
            for n in range(2):
                b.uplink(f"xe-{f}/{up}/{n}", None, 10 * G, 9192, f, present=n == 0 or fpcs == 1)
        if pkey == "srx345":
            b.virtual("st0", "tunnel", 0, 9192, "tunnel", admin=None, oper="up")
            b.virtual("st0.1", "tunnel", 0, 1436, "tunnel", alias="ipsec to hq")
        b.add("me0", "ethernetCsmacd", G, 1514, role="oob", admin="up", oper="down")
        b.virtual("irb", "propVirtual", G, 1514, "svi")
        b.virtual("irb.100", "propVirtual", G, 1500, "mgmt")
    b.lag("ae0", 20 * G, 9192)
    b.virtual("lo0", "softwareLoopback", 0, 65535, "loopback", admin="up")
    b.virtual("lo0.0", "softwareLoopback", 0, 65535, "loopback")


def arista(b: Builder, pkey: str, front: int) -> None:
    for n in range(1, front + 1):
        b.access(f"Ethernet{n}", None, 10 * G, 9214, None)
    speed = 100 * G if pkey == "arista7280" else 40 * G
    for n in (49, 50):
        b.uplink(f"Ethernet{n}/1", None, speed, 9214, None)
    b.lag("Port-Channel1", 2 * speed, 9214)
    b.add("Management1", "ethernetCsmacd", G, 1500, role="mgmt", alias="oob")
    b.virtual("Vlan100", "propVirtual", 0, 1500, "svi")
    b.virtual("Loopback0", "softwareLoopback", 0, 65535, "loopback")


def aruba_cx(b: Builder, pkey: str, front: int) -> None:
    members = members_of(b.plan)
    speed = 25 * G if pkey == "aruba6300" else 10 * G
    for m in range(1, members + 1):
        for n in range(1, front + 1):
            item = b.access(f"{m}/1/{n}", None, G, 1500, m)
            item["ifAlias"] = item["ifAlias"] or item["ifName"]  # CX answers an unset description with the name
        for n in (25, 26):
            b.uplink(f"{m}/1/{n}", None, speed, 9198, m, present=n == 25 or members == 1)
    b.lag("lag1", 2 * speed, 9198)
    b.add("mgmt", "ethernetCsmacd", G, 1500, role="oob", alias="mgmt")
    b.virtual("vlan1", "propVirtual", 0, 1500, "svi", alias="vlan1")
    b.virtual("vlan100", "propVirtual", 0, 1500, "mgmt", alias="vlan100")
    b.virtual("loopback0", "softwareLoopback", 0, 65535, "loopback", alias="loopback0")


def fortigate(b: Builder, front: int) -> None:
    for name in ("wan1", "wan2"):
        b.uplink(name, None, G, 1500, None, present=name == "wan1")
    for n in range(1, front + 1):
        b.access(f"port{n}", None, G, 1500, None)
    b.add("mgmt", "ethernetCsmacd", G, 1500, role="mgmt")
    b.lag("fortilink", 2 * G, 1500)
    b.virtual("ssl.root", "tunnel", 0, None, "tunnel", admin=None, oper="up", alias="SSL VPN interface")
    b.virtual("ipsec-hq", "tunnel", 0, 1438, "tunnel", admin=None, oper="up")


def server(b: Builder, pkey: str, front: int) -> None:
    """Linux reports ifAlias as the name; a VM's NICs are vmxnet3 (10G)."""
    names = ("ens192", "ens224") if pkey == "vmware" else ("eth0", "eth1", "eth2", "eth3")[:max(2, min(front, 4))]
    b.virtual("lo", "softwareLoopback", 10_000_000, 65536, "loopback", alias="lo")
    for n, name in enumerate(names):
        b.add(name, "ethernetCsmacd", 10 * G if pkey == "vmware" or n else G, 1500 if n == 0 else 9000,
              role="mgmt" if n == 0 else "front", alias=name)
    if pkey != "vmware":
        b.lag("bond0", 20 * G, 9000)["ifAlias"] = "bond0"


def small(b: Builder, os_name: str, front: int) -> None:
    if os_name == "ciscowlc":
        b.virtual("management", "propVirtual", 0, 1500, "mgmt")
        b.virtual("virtual", "propVirtual", 0, 1500, "svi")
        for n in (1, 2):
            b.uplink(f"Port {n}", None, 10 * G, 1500, None)
        b.add("service-port", "ethernetCsmacd", G, 1500, role="oob")
    elif os_name == "arubaos":
        for n in range(max(2, min(front, 6))):
            b.access(f"GE0/0/{n}", f"GE0/0/{n}", G, 1500, None)
        b.virtual("vlan1", "propVirtual", 0, 1500, "svi", admin="down")
        b.virtual("vlan100", "propVirtual", 0, 1500, "mgmt")
        b.virtual("loopback", "softwareLoopback", 0, 1500, "loopback")
    elif os_name == "netapp":
        for name in ("e0a", "e0b"):
            b.add(name, "ethernetCsmacd", 10 * G, 9000, alias=name)
        b.add("e0M", "ethernetCsmacd", G, 1500, role="mgmt", alias="e0M")
        b.lag("a0a", 20 * G, 9000)
        b.virtual("lo", "softwareLoopback", 0, 8160, "loopback")
    else:  # an APC network management card
        b.add("eth0", "ethernetCsmacd", 100_000_000, 1500, role="mgmt")
        b.virtual("lo", "softwareLoopback", 10_000_000, 16436, "loopback")


def build_interfaces(device: dict, pkey: str, plan: dict, rng, front: int) -> list:
    """Every interface of one device, in ifIndex order (no ids yet)."""
    b = Builder(device, rng, plan)
    os_name = device.get("os") or ""
    if pkey in ("c2960x", "c9200l", "c9300"):
        cisco_switch(b, pkey, front)
    elif pkey == "c9410r":
        cisco_core(b, front)
    elif pkey == "isr4331":
        cisco_router(b, front)
    elif os_name == "junos":
        juniper(b, pkey, front)
    elif os_name == "eos":
        arista(b, pkey, front)
    elif os_name == "arubaos-cx":
        aruba_cx(b, pkey, front)
    elif os_name == "fortigate":
        fortigate(b, front)
    elif os_name == "linux":
        server(b, pkey, front)
    else:
        small(b, os_name, front)
    return b.items
