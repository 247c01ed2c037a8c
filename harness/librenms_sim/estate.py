"""The simulated LibreNMS estate: devices, locations, device groups and (lazily) inventory.

    from harness.librenms_sim.estate import build_estate
    e = build_estate(seed=42, size=300)
    e.devices            # list-endpoint rows (ints 0/1, "Y-m-d H:i:s" dates, ip "" when unset), by device_id
    e.specials["juniper_vc"]  # -> device_id
    e.inventory(device_id)    # entPhysical rows, computed on first use

Everything comes from random.Random(seed) in a fixed order, so the same (seed, size, stack_ratio) gives
byte-identical answers.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import threading

from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.catalog import (
    CISCO_STACKABLE,
    DEVICE_COLUMNS,
    DOMAIN,
    LOCATIONS,
    NOW,
    PLATFORMS,
)
from harness.librenms_sim.inventory import b36, build_inventory, make_serial, seeded
from harness.librenms_sim.network import DEFAULT_FRONT_PORTS, Network
from harness.librenms_sim.ports import mgmt_mac
from harness.librenms_sim.specials import DEPENDENCY_PARENTS, SPECIALS

_PLATFORM_KEYS = tuple(PLATFORMS)
_PLATFORM_CUM = tuple(itertools.accumulate(PLATFORMS[k]["weight"] for k in _PLATFORM_KEYS))
_LOCATION_CUM = tuple(itertools.accumulate(loc[5] for loc in LOCATIONS))


def fmt(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def ip_for(device_id: int) -> str:
    return f"10.{100 + device_id // 62500 % 100}.{device_id // 250 % 250}.{device_id % 250 + 1}"


class DeviceFactory:
    """Makes list-form device rows; the specials module calls back into it."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.locations = {loc[0]: loc for loc in LOCATIONS}
        self.pkeys: dict = {}  # device_id -> platform key, for the port model

    @staticmethod
    def platform(pkey: str) -> dict:
        return PLATFORMS[pkey]

    def vmware_serial(self, device_id: int) -> str:
        head = [0x42, (device_id >> 16) & 0xFF, (device_id >> 8) & 0xFF, device_id & 0xFF]
        octets = head + [self.rng.randrange(256) for _unused in range(12)]
        text = " ".join(f"{o:02x}" for o in octets)
        return "VMware-" + text[:23] + "-" + text[24:]

    def stale_poll(self, days: int, attempted: bool = False) -> dict:
        last = NOW - datetime.timedelta(days=days, seconds=self.rng.randint(0, 86399))
        out = {"last_polled": fmt(last), "last_discovered": fmt(last - datetime.timedelta(hours=3))}
        if attempted:
            out["last_poll_attempted"] = fmt(NOW - datetime.timedelta(seconds=self.rng.randint(10, 280)))
        return out

    def row(self, device_id: int, pkey: str, location_id, short: str, **overrides) -> dict:
        p, rng = PLATFORMS[pkey], self.rng
        self.pkeys[device_id] = pkey
        v3 = rng.random() < 0.4 or device_id <= len(SPECIALS)
        inserted = NOW - datetime.timedelta(days=rng.randint(20, 1800), seconds=rng.randint(0, 86399))
        fqdn = f"{short}.{DOMAIN}"
        row = dict.fromkeys(DEVICE_COLUMNS)
        row.update(
            device_id=device_id, inserted=fmt(inserted), hostname=fqdn, sysName=short, display=None,
            ip=ip_for(device_id), overwrite_ip=None, community=f"{SECRET_MARKER}-community-{device_id}",
            snmpver="v3" if v3 else "v2c", port=161, transport="udp", snmp_disable=0,
            bgpLocalAs=64512 + rng.randint(0, 1000) if p.get("bgp") else None, sysObjectID=p["oid"],
            sysDescr=p["descr"].replace("Linux srv", f"Linux {short}").replace("Linux vm", f"Linux {short}"),
            sysContact=rng.choice(("noc@example.net", "Network Operations <noc@example.net>", "", None)),
            version=p["version"], hardware=p["hardware"], features=p["features"], location_id=location_id,
            os=p["os"], status=1, status_reason="", ignore=0, disabled=0,
            uptime=rng.randint(3600, 400 * 86400), agent_uptime=0,
            last_polled=fmt(NOW - datetime.timedelta(seconds=rng.randint(5, 299))), last_poll_attempted=None,
            last_polled_timetaken=round(rng.uniform(2, 60), 2), last_discovered_timetaken=round(rng.uniform(5, 240), 2),
            last_discovered=fmt(NOW - datetime.timedelta(seconds=rng.randint(300, 21600))),
            last_ping=fmt(NOW - datetime.timedelta(seconds=rng.randint(1, 59))),
            last_ping_timetaken=round(rng.uniform(0.3, 80), 2),
            purpose=rng.choice((None, None, None, "Access layer", "Uplinks to the core", "Out-of-band management")),
            type=p["type"], icon=p["icon"], poller_group=0, override_sysLocation=0,
            notes=rng.choice((None,) * 6 + ("Replaced PSU B 2024-05 (RMA 8841234)",)), port_association_mode=1,
            max_depth=0, disable_notify=0, ignore_status=0,
        )
        if v3:
            row.update(authlevel="authPriv", authname=f"{SECRET_MARKER}-user-{device_id}",
                       authpass=f"{SECRET_MARKER}-authpass-{device_id}", authalgo="SHA",
                       cryptopass=f"{SECRET_MARKER}-privpass-{device_id}", cryptoalgo="AES")
        row.update(overrides)
        loc = self.locations.get(row["location_id"])
        row["dependency_parent_id"] = None
        row["dependency_parent_hostname"] = None
        row["location"], row["lat"], row["lng"] = (loc[1], loc[2], loc[3]) if loc else (None, None, None)
        return row


class Estate:
    def __init__(self, seed: int = 42, size: int = 300, stack_ratio: float = 0.1,
                 front_ports: int = DEFAULT_FRONT_PORTS):
        self.seed, self.size, self.stack_ratio = int(seed), int(size), float(stack_ratio)
        self.rng = seeded(self.seed)
        self.factory = DeviceFactory(self.rng)
        self.devices: list = []
        self.plans: dict = {}
        self.specials: dict = {}
        self._inventory: dict = {}
        self._lock = threading.Lock()
        self.fragments: dict = {}  # serialisation caches, owned by the server (keyed by mode)
        for device_id, (name, make) in enumerate(SPECIALS, start=1):
            row, plan = make(self.factory, device_id)
            self._add(row, plan)
            self.specials[name] = device_id
        for device_id in range(len(SPECIALS) + 1, max(self.size, len(SPECIALS)) + 1):
            self._add(*self._filler(device_id))
        self.pkeys = self.factory.pkeys
        self.by_id = {row["device_id"]: row for row in self.devices}
        self.by_hostname = {row["hostname"].casefold(): row for row in self.devices}
        self._link_dependencies()
        self.locations = [
            {"id": i, "location": name, "lat": lat, "lng": lng,
             "timestamp": fmt(NOW - datetime.timedelta(days=400 - 37 * i, hours=i)),
             "fixed_coordinates": int(i % 3 == 0)}
            for i, name, lat, lng, _code, _w in LOCATIONS
        ]
        self.location_by_id = {loc["id"]: loc for loc in self.locations}
        self._build_groups()
        self.network = Network(self, front_ports)

    # -- construction -------------------------------------------------------------------------------------
    def _add(self, row: dict, plan: dict) -> None:
        self.devices.append(row)
        self.plans[row["device_id"]] = plan

    def _link_dependencies(self) -> None:
        child = self.by_id[self.specials["dependency_child"]]
        parents = [self.by_id[self.specials[name]] for name in DEPENDENCY_PARENTS]
        child["dependency_parent_id"] = ",".join(str(p["device_id"]) for p in parents)
        child["dependency_parent_hostname"] = ",".join(p["hostname"] for p in parents)

    def _filler(self, device_id: int):  # noqa: PLR0912 - one branch per kind of filler device
        rng = self.rng
        members = 1
        if rng.random() < self.stack_ratio:
            pkey, members = rng.choice(CISCO_STACKABLE), rng.randint(2, 4)
        else:
            pkey = _PLATFORM_KEYS[bisect.bisect_right(_PLATFORM_CUM, rng.random() * _PLATFORM_CUM[-1])]
        p = PLATFORMS[pkey]
        if rng.random() < 0.03:
            location_id, code = None, "hq"
        else:
            loc = LOCATIONS[bisect.bisect_right(_LOCATION_CUM, rng.random() * _LOCATION_CUM[-1])]
            location_id, code = loc[0], loc[4]
        short = f"{code}-{p['role']}{device_id:04d}"
        naming = rng.random()
        fqdn = f"{short}.{DOMAIN}"
        over = {}
        if naming < 0.20:
            over["sysName"] = fqdn
        elif naming < 0.32:
            over["hostname"] = short
        elif naming < 0.37:
            over["hostname"] = ip_for(device_id)
        elif naming < 0.40:
            over["sysName"] = short + "-new"
        if rng.random() < 0.05:
            over["display"] = short.upper()
        elif rng.random() < 0.03:
            over["display"] = "{{ $sysName }}"
        if rng.random() < 0.01:
            over["type"] = ""
        if rng.random() < 0.02:
            over["version"] = None
        fate = rng.random()
        if fate < 0.02:
            over.update(disabled=1, **self.factory.stale_poll(days=rng.randint(10, 200)))
        elif fate < 0.04:
            over["ignore"] = 1
        elif fate < 0.07:
            over.update(status=0, status_reason=rng.choice(("icmp", "snmp")),
                        **self.factory.stale_poll(days=rng.randint(0, 5), attempted=True))
        plan, serial = self._plan(device_id, pkey, members)
        over["serial"] = serial
        row = self.factory.row(device_id, pkey, location_id, short, **over)
        if p["type"] != "server" and plan["kind"] != "none" and rng.random() < 0.03:
            plan = {"kind": "none"}
        return row, plan

    def _plan(self, device_id: int, pkey: str, members: int):  # noqa: PLR0911 - one return per plan kind
        p, rng = PLATFORMS[pkey], self.rng
        prefix, kind = p["serial_prefix"], p["inv"]
        if kind == "cisco_stack":
            fam = p["family"]
            relpos = {"c29xx": [0, 2, 3, 4], "c92xx": [0, 1, 2, 3], "c93xx": [1, 2, 3, 4]}[fam]
            style = rng.choice(("Switch {}", "Switch {} Chassis")) if fam == "c93xx" else (
                "{}" if fam == "c29xx" else "Switch {}")
            mixed = rng.random() < 0.3
            out = []
            for n in range(1, members + 1):
                model = p["hardware"] if n == 1 or not mixed else rng.choice((p["hardware"],) + p["alt_models"])
                out.append({"n": n, "name": style.format(n), "relpos": relpos[n - 1], "model": model,
                            "descr": model, "serial": make_serial(prefix, device_id, n, rng)})
            master = 1 if members == 1 or rng.random() < 0.85 else rng.randint(2, members)
            plan = {"kind": kind, "family": fam, "members": out, "prefix": prefix}
            return plan, out[master - 1]["serial"]
        if kind == "juniper":
            count = rng.randint(2, 3) if pkey == "ex4300" and rng.random() < 0.3 else 1
            fpcs = [{"n": n, "serial": make_serial(prefix, device_id, n + 1, rng)} for n in range(count)]
            plan = {"kind": kind, "model": p["model"], "part": p["part"], "fpcs": fpcs,
                    "box_serial": fpcs[0]["serial"], "prefix": prefix}
            if pkey != "ex4300":
                plan["pic"] = {"ex2300": "24x 10/100/1000 Base-T", "mx204": "4x 100GE/40GE QSFP28",
                               "srx345": "8x GE Base-T"}.get(pkey)
            return plan, fpcs[0]["serial"]
        if kind == "aruba":
            count = 2 if rng.random() < 0.25 else 1
            out = [{"n": n, "name": f"Chassis {n}", "relpos": n, "model": p["model"], "descr": p["model_descr"],
                    "serial": make_serial(prefix, device_id, n, rng)} for n in range(1, count + 1)]
            return {"kind": kind, "vsf": count > 1, "family": p["family"], "members": out, "prefix": prefix}, \
                out[0]["serial"]
        if kind == "none":
            if pkey == "vmware":
                return {"kind": "none"}, self.factory.vmware_serial(device_id)
            if rng.random() < 0.1:
                return {"kind": "none"}, None
            if pkey == "r640":
                return {"kind": "none"}, b36(device_id * 100 + 1) + "".join(rng.choice("0123456789") for _pair in "xx")
            return {"kind": "none"}, make_serial(prefix, device_id, 1, rng)
        serial = make_serial(prefix, device_id, 1, rng, tail=8 if kind == "fortigate" else 3)
        model = p.get("model", p["hardware"])
        return {"kind": kind, "model": model, "serial": serial, "prefix": prefix, "descr": p["descr"]}, serial

    def _build_groups(self) -> None:
        def dynamic(field, value):
            return {"condition": "AND", "rules": [{"id": f"devices.{field}", "field": f"devices.{field}",
                                                   "type": "string", "input": "text", "operator": "equal",
                                                   "value": value}], "valid": True, "joins": []}

        stacks = [i for i, plan in self.plans.items()
                  if plan["kind"] in ("cisco_stack", "cisco_svl") and len(plan["members"]) > 1]
        groups = (
            (1, "London", "Everything in LON1", "dynamic", dynamic("location_id", "1"),
             [r["device_id"] for r in self.devices if r["location_id"] == 1]),
            (2, "All Firewalls", "Firewalls of every vendor", "dynamic", dynamic("type", "firewall"),
             [r["device_id"] for r in self.devices if r["type"] == "firewall"]),
            (3, "Cisco Stacks", "StackWise and StackWise Virtual", "static", None, stacks),
            (4, "Decommissioned", "Waiting for removal", "static", None, []),
        )
        self.device_groups = [
            {"id": gid, "name": name, "desc": desc, "type": kind, "rules": rules, "pattern": None}
            for gid, name, desc, kind, rules, _members in groups
        ]
        self.group_members = {gid: sorted(members) for gid, _n, _d, _k, _r, members in groups}

    # -- lookups ------------------------------------------------------------------------------------------
    def find(self, key: str):
        """The device a route's {hostname} names: all digits means device_id, else the exact hostname (ci)."""
        if key.isdigit() and key.isascii():
            return self.by_id.get(int(key))
        return self.by_hostname.get(key.casefold())

    def inventory(self, device_id: int) -> list:
        device_id = int(device_id)
        rows = self._inventory.get(device_id)
        if rows is None:
            device = self.by_id.get(device_id)
            rows = build_inventory(device, self.plans[device_id], self.seed) if device else []
            with self._lock:
                self._inventory[device_id] = rows
        return rows

    @staticmethod
    def mgmt_mac(device_id: int) -> str:
        return mgmt_mac(device_id)

    def groups_of(self, device_id: int) -> list:
        return [g for g in self.device_groups if device_id in self.group_members[g["id"]]]

    def summary(self) -> dict:
        return {"seed": self.seed, "size": self.size, "stack_ratio": self.stack_ratio,
                "front_ports": self.network.front_ports, "devices": len(self.devices), "specials": dict(self.specials)}


def build_estate(seed: int = 42, size: int = 300, stack_ratio: float = 0.1,
                 front_ports: int = DEFAULT_FRONT_PORTS) -> Estate:
    return Estate(seed=seed, size=size, stack_ratio=stack_ratio, front_ports=front_ports)
