"""The special devices: the shapes tests need, always at the first ids whatever the estate's size."""

from __future__ import annotations

from harness.librenms_sim.inventory import make_serial

DUP_SYSNAME = "switch"
LONG_SYSNAME = "fra2-very-long-sysname-access-switch-building-c-floor-3-room-317-rack-12-u42.example.net"


def _members(factory, device_id, prefix, model, names, relposes, descr=None):
    return [
        {"n": n, "name": name, "relpos": relpos, "model": model, "descr": descr or model,
         "serial": make_serial(prefix, device_id, n, factory.rng)}
        for n, (name, relpos) in enumerate(zip(names, relposes), start=1)
    ]


def _stack(factory, device_id, pkey, names, relposes, master=1):
    p = factory.platform(pkey)
    members = _members(factory, device_id, p["serial_prefix"], p["hardware"], names, relposes)
    plan = {"kind": "cisco_stack", "family": p["family"], "members": members, "prefix": p["serial_prefix"]}
    return plan, members[master - 1]["serial"]


def cisco_stack_relpos0(f, i):
    plan, serial = _stack(f, i, "c2960x", ["1", "2", "3"], [0, 2, 3])
    return f.row(i, "c2960x", 1, "lon1-stack-sw01", serial=serial), plan


def cisco_stack_named(f, i):
    plan, serial = _stack(f, i, "c9300", ["Switch 1 Chassis", "Switch 2 Chassis"], [1, 2], master=2)
    return f.row(i, "c9300", 2, "fra2-stack-sw02", serial=serial), plan


def cisco_stack_nullserial(f, i):
    plan, serial = _stack(f, i, "c9200l", ["Switch 1", "Switch 2", "Switch 3"], [0, 1, 2])
    plan["members"][1]["serial"] = None
    plan["members"][2]["model"] = ""
    return f.row(i, "c9200l", 4, "nyc3-stack-sw03", serial=serial), plan


def cisco_svl_nomaster(f, i):
    p = f.platform("c9410r")
    members = _members(f, i, p["serial_prefix"], "C9410R", ["Chassis 1", "Chassis 2"], [1, 2])
    k = 10
    for member in members:
        modules = []
        for descr, model in (("Cisco Catalyst 9400 Series Supervisor 1 Module", "C9400-SUP-1"),
                             ("Cisco Catalyst 9400 Series 48-Port UPOE 10/100/1000 (RJ-45)", "C9400-LC-48U"),
                             ("Cisco Catalyst 9400 Series 48-Port UPOE 10/100/1000 (RJ-45)", "C9400-LC-48U")):
            modules.append((descr, model, make_serial("JAE", i, k, f.rng)))
            k += 1
        member["modules"] = modules
    line_card = members[0]["modules"][1]
    plan = {"kind": "cisco_svl", "members": members, "prefix": p["serial_prefix"]}
    return f.row(i, "c9410r", 1, "lon1-core-svl01", serial=line_card[2], hardware=line_card[1]), plan


def cisco_standalone_stackable(f, i):
    plan, serial = _stack(f, i, "c9200l", ["Switch 1"], [0])
    return f.row(i, "c9200l", 6, "par1-acc-sw05", serial=serial), plan


def _juniper(f, i, pkey, count, **extra):
    p = f.platform(pkey)
    fpcs = [{"n": n, "serial": make_serial(p["serial_prefix"], i, n + 1, f.rng)} for n in range(count)]
    plan = {"kind": "juniper", "model": p["model"], "part": p["part"], "fpcs": fpcs, "box_serial": fpcs[0]["serial"],
            "prefix": p["serial_prefix"]}
    plan.update(extra)
    return plan, fpcs[0]["serial"]


def juniper_vc(f, i):
    plan, serial = _juniper(f, i, "ex4300", 2)
    return f.row(i, "ex4300", 3, "zrh1-vc-sw06", serial=serial), plan


def juniper_single(f, i):
    plan, serial = _juniper(f, i, "ex2300", 1, pic="24x 10/100/1000 Base-T")
    return f.row(i, "ex2300", 5, "sin1-acc-sw07", serial=serial), plan


def aruba_vsf(f, i):
    p = f.platform("aruba6300")
    members = _members(f, i, p["serial_prefix"], p["model"], ["Chassis 1", "Chassis 2"], [1, 2], p["model_descr"])
    plan = {"kind": "aruba", "vsf": True, "family": p["family"], "members": members, "prefix": p["serial_prefix"]}
    return f.row(i, "aruba6300", 2, "fra2-agg-vsf08", serial=members[0]["serial"]), plan


def junos_evo_class0(f, i):
    plan, serial = _juniper(f, i, "mx204", 1, class0=True, model="QFX5130-32CD", part="650-118930",
                            pic="32x 400GE QSFP56-DD")
    row = f.row(i, "mx204", 4, "nyc3-spine-evo09", serial=serial, hardware="Juniper QFX5130-32CD Switch",
                version="23.2R2-S1.4-EVO",
                sysDescr="Juniper Networks, Inc. qfx5130-32cd switch, kernel JUNOS EVO 23.2R2-S1.4-EVO, Build date:"
                         " 2024-03-04 07:21:17 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.")
    return row, plan


def no_inventory(f, i):
    p = f.platform("arista7050")
    serial = make_serial(p["serial_prefix"], i, 1, f.rng)
    return f.row(i, "arista7050", 1, "lon1-leaf-noinv10", serial=serial), {"kind": "none"}


def vm_server(f, i):
    return f.row(i, "vmware", 4, "nyc3-vm-app11", serial=f.vmware_serial(i)), {"kind": "none"}


def _standalone(f, i, pkey, loc, short, **overrides):
    plan, serial = _stack(f, i, pkey, ["1" if pkey == "c2960x" else "Switch 1"], [0 if pkey != "c9300" else 1])
    return f.row(i, pkey, loc, short, serial=serial, **overrides), plan


def disabled_device(f, i):
    return _standalone(f, i, "c2960x", 6, "par1-acc-disabled12", disabled=1, **f.stale_poll(days=41))


def ignored_device(f, i):
    plan, serial = _juniper(f, i, "ex2300", 1, pic="24x 10/100/1000 Base-T")
    return f.row(i, "ex2300", 5, "sin1-acc-ignored13", serial=serial, ignore=1), plan


def down_device(f, i):
    return _standalone(f, i, "c9300", 2, "fra2-dist-down14", status=0, status_reason="icmp",
                       **f.stale_poll(days=2, attempted=True))


def dup_sysname_a(f, i):
    return _standalone(f, i, "c9200l", 1, "lon1-dup-a", sysName=DUP_SYSNAME)


def dup_sysname_b(f, i):
    return _standalone(f, i, "c9200l", 1, "lon1-dup-b", sysName=DUP_SYSNAME)


def fqdn_device(f, i):
    name = "core1.lon1.example.net"
    return _standalone(f, i, "c9300", 1, "core1-lon1", hostname=name, sysName=name)


def unicode_device(f, i):
    return _standalone(f, i, "c2960x", 3, "zrh1-sw-oe1", sysName="zürich-sw-ö1")


def long_name_device(f, i):
    return _standalone(f, i, "c9200l", 2, "fra2-longname-sw19", sysName=LONG_SYSNAME)


def no_hardware(f, i):
    return _standalone(f, i, "c2960x", 6, "par1-acc-nohw20", hardware=None, features=None)


def ip_hostname(f, i):
    plan, serial = _juniper(f, i, "ex2300", 1, pic="24x 10/100/1000 Base-T")
    ip = "10.250.0.21"
    return f.row(i, "ex2300", 6, "par1-iphost21", serial=serial, hostname=ip, ip=ip, sysName=""), plan


def no_sysname(f, i):
    p = f.platform("fg60f")
    serial = make_serial(p["serial_prefix"], i, 1, f.rng, tail=8)
    plan = {"kind": "fortigate", "model": "FortiGate-60F", "serial": serial, "prefix": p["serial_prefix"]}
    return f.row(i, "fg60f", 5, "sin1-fw-nosys22", serial=serial, sysName=None), plan


def unset_ip(f, i):
    p = f.platform("aruba6200")
    members = _members(f, i, p["serial_prefix"], p["model"], ["Chassis 1"], [1], p["model_descr"])
    plan = {"kind": "aruba", "vsf": False, "family": p["family"], "members": members, "prefix": p["serial_prefix"]}
    return f.row(i, "aruba6200", 4, "nyc3-acc-noip23", serial=members[0]["serial"], ip=""), plan


def dependency_child(f, i):
    return _standalone(f, i, "c9200l", 1, "lon1-acc-child24")


def _ordinary(f, i, short):
    p = f.platform("arista7050")
    serial = make_serial(p["serial_prefix"], i, 1, f.rng)
    plan = {"kind": "arista", "model": p["hardware"], "serial": serial, "prefix": p["serial_prefix"]}
    return f.row(i, "arista7050", 1, short, serial=serial), plan


SPECIALS = (
    ("cisco_stack_relpos0", cisco_stack_relpos0),
    ("cisco_stack_named", cisco_stack_named),
    ("cisco_stack_nullserial", cisco_stack_nullserial),
    ("cisco_svl_nomaster", cisco_svl_nomaster),
    ("cisco_standalone_stackable", cisco_standalone_stackable),
    ("juniper_vc", juniper_vc),
    ("juniper_single", juniper_single),
    ("aruba_vsf", aruba_vsf),
    ("junos_evo_class0", junos_evo_class0),
    ("no_inventory", no_inventory),
    ("vm_server", vm_server),
    ("disabled_device", disabled_device),
    ("ignored_device", ignored_device),
    ("down_device", down_device),
    ("dup_sysname_a", dup_sysname_a),
    ("dup_sysname_b", dup_sysname_b),
    ("fqdn_device", fqdn_device),
    ("unicode_device", unicode_device),
    ("long_name_device", long_name_device),
    ("no_hardware", no_hardware),
    ("ip_hostname", ip_hostname),
    ("no_sysname", no_sysname),
    ("unset_ip", unset_ip),
    ("dependency_child", dependency_child),
    *(
        (name, lambda f, i, short=short: _ordinary(f, i, short))
        for name, short in (
            ("for_existing_by_id", "lon1-leaf-byid25"),
            ("for_existing_by_name", "lon1-leaf-byname26"),
            ("for_existing_by_serial", "lon1-leaf-byserial27"),
            ("for_existing_by_ip", "lon1-leaf-byip28"),
            ("for_conflict_serial", "lon1-leaf-cfserial29"),
            ("for_conflict_name", "lon1-leaf-cfname30"),
            ("for_conflict_librenms_id", "lon1-leaf-cfid31"),
        )
    ),
)

#: dependency_child's parents, by special name (GROUP_CONCAT joins them in this order).
DEPENDENCY_PARENTS = ("cisco_svl_nomaster", "juniper_vc")
