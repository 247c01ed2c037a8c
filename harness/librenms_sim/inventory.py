"""entPhysical rows (GET /inventory/{device}/all) built lazily from a small per-device plan.

The plan (a dict made when the estate is built) fixes what must be known up front: the members of a stack or
virtual chassis, their models and serials. Everything else (power supplies, fans, ports, transceivers) is derived
here from the device id and the estate's seed, so 10,000 devices cost nothing until somebody asks.
"""

from __future__ import annotations

import random

from harness.librenms_sim.catalog import ENT_COLUMNS

_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b36(number: int, width: int = 5) -> str:
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = _B36[digit] + out
    return out.rjust(width, "0")


def seeded(seed) -> random.Random:
    """The simulator's only source of randomness: reproducible data, nothing secret."""
    return random.Random(seed)  # noqa: S311 - simulated data, not cryptography


def make_serial(prefix: str, device_id: int, k: int, rng: random.Random, tail: int = 3) -> str:
    """A serial unique in the estate by construction: the middle encodes (device_id, k), k < 100."""
    return prefix + b36(device_id * 100 + k) + "".join(rng.choice(_B36) for _unused in range(tail))


class _Rows:
    """Accumulates rows for one device, numbering entPhysical_id as device_id * 1000 + n."""

    def __init__(self, device_id: int, class_override=False):
        self.device_id = device_id
        self.rows: list = []
        self.class_override = class_override

    def add(self, index, descr, cls, name, *, model="", serial="", contained=0, relpos=-1, vendor_type="",
            mfg="", fru="false", hw="", fw="", sw="", alias="", asset="", if_index=None):
        if self.class_override is not False:
            cls = self.class_override
        values = (
            self.device_id * 1000 + len(self.rows) + 1, self.device_id, index, descr, cls, name, hw, fw, sw,
            alias, asset, fru, model, vendor_type, serial, contained, relpos, mfg, if_index,
        )
        self.rows.append(dict(zip(ENT_COLUMNS, values)))


def build_inventory(device: dict, plan: dict, seed: int) -> list:
    kind = plan.get("kind", "none")
    if kind == "none":
        return []
    rng = seeded(f"{seed}:inventory:{device['device_id']}")
    builder = _BUILDERS[kind]
    return builder(device, plan, rng)


def _sub_serial(plan, device, k, rng):
    return make_serial(plan.get("prefix", "SIM"), device["device_id"], k, rng)


def _cisco_stack(device, plan, rng):
    out = _Rows(device["device_id"])
    fam = plan["family"]
    version = device.get("version") or ""
    out.add(1, f"{fam} Stack", "stack", f"{fam} Stack", vendor_type="cevStack" + fam.capitalize(), sw=version)
    for member in plan["members"]:
        n = member["n"]
        base = 1000 * n
        chassis = base + 1 if fam == "c29xx" else base
        descr = member.get("descr") or member["model"] or plan.get("model", "")
        out.add(chassis, descr, "chassis", member["name"], model=member["model"], serial=member["serial"],
                contained=1, relpos=member["relpos"], vendor_type="cevChassis", hw="V0" + str(rng.randint(1, 8)),
                sw=version, fru="false")
        out.add(base + 2, f"Switch {n} - Power Supply A", "powerSupply", f"Switch {n} - Power Supply A",
                model=plan.get("psu", "PWR-C1-715WAC"), serial=_sub_serial(plan, device, 10 + n * 4, rng),
                contained=chassis, relpos=0, vendor_type="cevPowerSupply", hw="V02", fru="true")
        out.add(base + 3, f"Switch {n} - FAN - T1 1", "fan", f"Switch {n} - FAN - T1 1", contained=chassis,
                relpos=0, vendor_type="cevFan", fru="true")
        module = base + 4
        out.add(module, f"Switch {n} - {descr} - Fixed Module 0", "module", f"Switch {n} - Fixed Module 0",
                model=member["model"], contained=chassis, relpos=0, vendor_type="cevModule")
        for p in (1, 2):
            if_index = 10100 + (n - 1) * 500 + p if fam == "c29xx" else (n - 1) * 64 + 8 + p
            out.add(module + p, "Gigabit Ethernet Port", "port", f"GigabitEthernet{n}/0/{p}", contained=module,
                    relpos=p, vendor_type="cevPortGe", alias=f"Gi{n}/0/{p}", if_index=if_index)
        out.add(base + 7, "Uplink Container", "container", f"Switch {n} - Uplink Container 1", contained=module,
                relpos=49, vendor_type="cevContainerSFP")
        out.add(base + 8, "1000BaseSX SFP", "module", f"GigabitEthernet{n}/1/1", model="GLC-SX-MMD",
                serial=make_serial("AGM", device["device_id"], 11 + n * 4, rng), contained=base + 7, relpos=0,
                vendor_type="cevSFP1000BaseSx", hw="V01", fru="true")
    return out.rows


def _cisco_svl(device, plan, rng):
    out = _Rows(device["device_id"])
    version = device.get("version") or ""
    out.add(1, "Cisco Catalyst 9400 Series Virtual Stack", "stack", "Virtual Stack", vendor_type="cevStackC9400",
            sw=version)
    for member in plan["members"]:
        n = member["n"]
        chassis = 1000 * n
        out.add(chassis, "Cisco Catalyst 9400 Series 10 Slot Chassis", "chassis", member["name"],
                model=member["model"], serial=member["serial"], contained=1, relpos=member["relpos"],
                vendor_type="cevChassisC9410R", hw="V02", sw=version)
        for slot, (descr, model, serial) in enumerate(member["modules"], start=1):
            out.add(chassis + slot * 10, descr, "module", f"Chassis {n} Slot {slot}", model=model, serial=serial,
                    contained=chassis, relpos=slot, vendor_type="cevModule", hw="V01", sw=version, fru="true")
        out.add(chassis + 200, "Cisco Catalyst 9400 Series 3200W AC Power Supply", "powerSupply",
                f"Chassis {n} Power Supply Module 1", model="C9400-PWR-3200AC",
                serial=_sub_serial(plan, device, 20 + n, rng), contained=chassis, relpos=0,
                vendor_type="cevPowerSupply", fru="true")
        out.add(chassis + 300, "Cisco Catalyst 9400 Series 10 Slot Chassis Fan Tray", "fan",
                f"Chassis {n} Fan Tray", model="C9410-FAN", serial=_sub_serial(plan, device, 30 + n, rng),
                contained=chassis, relpos=0, vendor_type="cevFan", fru="true")
    return out.rows


_C9400_MODULES = (
    ("Cisco Catalyst 9400 Series Supervisor 1 Module", "C9400-SUP-1"),
    ("Cisco Catalyst 9400 Series 48-Port UPOE 10/100/1000 (RJ-45)", "C9400-LC-48U"),
    ("Cisco Catalyst 9400 Series 48-Port 10/100/1000 (RJ-45)", "C9400-LC-48T"),
)


def _cisco_modular(device, plan, rng):
    out = _Rows(device["device_id"])
    out.add(1, "Cisco Catalyst 9400 Series 10 Slot Chassis", "chassis", "Chassis", model=plan["model"],
            serial=plan["serial"], vendor_type="cevChassisC9410R", hw="V02", sw=device.get("version") or "")
    for slot in range(1, 2 + rng.randint(1, 4)):
        descr, model = _C9400_MODULES[0] if slot == 1 else _C9400_MODULES[1 + rng.randint(0, 1)]
        out.add(1000 + slot, descr, "module", f"Slot {slot} Linecard" if slot > 1 else "Slot 1 Supervisor",
                model=model, serial=_sub_serial(plan, device, 10 + slot, rng), contained=1, relpos=slot,
                vendor_type="cevModule", hw="V01", fru="true")
    for psu in (1, 2):
        out.add(2000 + psu, "Cisco Catalyst 9400 Series 3200W AC Power Supply", "powerSupply",
                f"Power Supply Module {psu}", model="C9400-PWR-3200AC",
                serial=_sub_serial(plan, device, 30 + psu, rng), contained=1, relpos=psu, fru="true")
    return out.rows


def _cisco_router(device, plan, rng):
    out = _Rows(device["device_id"])
    model = plan["model"]
    out.add(1, f"Cisco {model} Chassis", "chassis", "Chassis", model=model, serial=plan["serial"],
            vendor_type="cevChassis", hw="V0" + str(rng.randint(1, 6)), sw=device.get("version") or "")
    out.add(2, "Power Supply Module 0", "powerSupply", "Power Supply Module 0", model="PWR-4430-AC",
            serial=_sub_serial(plan, device, 10, rng), contained=1, relpos=0, fru="true")
    out.add(3, "Fan Tray", "fan", "Fan Tray", contained=1, relpos=0, fru="true")
    out.add(4, "Front Panel 3 ports Gigabitethernet Module", "module", "module 0", model="ISR4331-3x1GE",
            contained=1, relpos=0)
    for p in range(3):
        out.add(10 + p, "GigabitEthernet", "port", f"GigabitEthernet0/0/{p}", contained=4, relpos=p,
                if_index=p + 1)
    if rng.random() < 0.6:
        out.add(5, "NIM-ES2-4", "module", "module 0/1", model="NIM-ES2-4",
                serial=_sub_serial(plan, device, 11, rng), contained=1, relpos=1, fru="true")
    return out.rows


def _juniper(device, plan, rng):
    out = _Rows(device["device_id"], class_override="0" if plan.get("class0") else False)
    model, part = plan["model"], plan["part"]
    out.add(1, device.get("hardware") or model, None, device.get("hardware") or model, model=model,
            serial=plan.get("box_serial") or "", vendor_type="jnxChassis", mfg="Juniper Networks")
    out.add(2, "Power Supply Bay", None, "Power Supply Bay", contained=1, relpos=2, vendor_type="jnxContainer")
    out.add(4, "Fan Tray Bay", None, "Fan Tray Bay", contained=1, relpos=4, vendor_type="jnxContainer")
    out.add(7, "FPC", None, "FPC", contained=1, relpos=7, vendor_type="jnxContainer")
    cards = plan.get("line_cards") or ()
    # Line cards beyond the plan's FPCs take their serials from this device's own generator (the estate's is
    # untouched, so no other device changes).
    extra = [{"n": n, "serial": _sub_serial(plan, device, 50 + n, rng)} for n in range(len(plan["fpcs"]), len(cards))]
    for fpc in plan["fpcs"] + extra:
        n = fpc["n"]
        top = (n + 1) * 1000000
        descr = f"FPC: {cards[n] if cards else model} @ {n}/*/*"
        out.add(top + 7, descr, None, descr, model=part, serial=fpc["serial"], contained=7, relpos=n,
                vendor_type="FPC", hw="REV " + str(rng.randint(10, 30)), mfg="Juniper Networks", fru="true")
        pic = f"PIC: {plan.get('pic', '48x 10/100/1000 Base-T')} @ {n}/0/*"
        out.add(top + 108, pic, None, pic, model="BUILTIN", contained=top + 7, relpos=0, vendor_type="PIC",
                mfg="Juniper Networks")
        psu = f"Power Supply 0 @ {n}/0/*"
        out.add(top + 2, psu, "powerSupply", psu, model="740-046873", serial=_sub_serial(plan, device, 10 + n, rng),
                contained=2, relpos=n, vendor_type="Power Supply", mfg="Juniper Networks", fru="true")
        fan = f"Fan Tray 0 @ {n}/0/*"
        out.add(top + 4, fan, "fan", fan, contained=4, relpos=n, vendor_type="Fan", mfg="Juniper Networks")
    return out.rows


def _aruba(device, plan, rng):
    out = _Rows(device["device_id"])
    members = plan["members"]
    if plan.get("vsf"):
        out.add(1, f"Aruba {plan['family']} VSF Stack", None, "Stack", relpos=-1, mfg="Aruba")
    for member in members:
        n = member["n"]
        idx = 100 * n
        cls = None if plan.get("vsf") else "chassis"
        out.add(idx, member["descr"], cls, f"Chassis {n}", model=member["model"], serial=member["serial"],
                contained=0, relpos=n, vendor_type="", mfg="Aruba", fru="true", sw=device.get("version") or "")
        out.add(idx + 1, "Management Module", None if plan.get("vsf") else "module", f"Management Module {n}/1",
                model=member["model"], contained=idx, relpos=1, mfg="Aruba")
        out.add(idx + 2, "Aruba X372 54VDC 680W PSU", None if plan.get("vsf") else "powerSupply", f"PSU {n}/1",
                model="JL086A", serial=_sub_serial(plan, device, 10 + n, rng), contained=idx, relpos=2,
                mfg="Aruba", fru="true")
        out.add(idx + 3, "Aruba X751 Fan Tray", None if plan.get("vsf") else "fan", f"Fan Tray {n}/1",
                model="JL669A", contained=idx, relpos=3, mfg="Aruba", fru="true")
    return out.rows


def _arista(device, plan, rng):
    out = _Rows(device["device_id"])
    model = plan["model"]
    out.add(1, f"{model} Chassis", "chassis", "", model=model, serial=plan["serial"],
            hw="11.0" + str(rng.randint(0, 3)), mfg="Arista Networks", vendor_type="")
    for psu in (1, 2):
        out.add(100601000 + psu * 100 + 10, f"PowerSupply{psu}", "powerSupply", f"PowerSupply{psu}",
                model="PWR-500AC-F", serial=_sub_serial(plan, device, 10 + psu, rng), contained=1, relpos=psu,
                mfg="Arista Networks", fru="true")
    out.add(100701000 + 101, "Fan Tray 1", "fan", "Fan Tray 1", model="FAN-7000-F", contained=1, relpos=1,
            mfg="Arista Networks", fru="true")
    for p in (1, 2):
        out.add(100100000 + p, f"Front-Panel Port {p}", "port", f"Ethernet{p}", contained=1, relpos=p, if_index=p)
    out.add(100200049, "Xcvr for Ethernet49", "module", "Ethernet49", model="QSFP-100G-SR4",
            serial=make_serial("XCV", device["device_id"], 20, rng), contained=1, relpos=49, fru="true",
            mfg="Arista Networks")
    return out.rows


def _fortigate(device, plan, rng):
    out = _Rows(device["device_id"])
    model = plan["model"]
    out.add(1, f"Fortinet {model}, HW Serial#: {plan['serial']}", "chassis", model, model=model,
            serial=plan["serial"], mfg="Fortinet", sw=device.get("version") or "")
    out.add(2, "Power Supply 1", "powerSupply", "PSU 1", contained=1, relpos=1, mfg="Fortinet")
    return out.rows


def _generic(device, plan, rng):
    out = _Rows(device["device_id"])
    out.add(1, plan.get("descr") or plan["model"], "chassis", plan["model"], model=plan["model"],
            serial=plan["serial"], sw=device.get("version") or "")
    out.add(2, "PSU 1", "powerSupply", "PSU 1", contained=1, relpos=1)
    out.add(3, "PSU 2", "powerSupply", "PSU 2", contained=1, relpos=2)
    return out.rows


_BUILDERS = {
    "cisco_stack": _cisco_stack,
    "cisco_svl": _cisco_svl,
    "cisco_modular": _cisco_modular,
    "cisco_router": _cisco_router,
    "juniper": _juniper,
    "aruba": _aruba,
    "arista": _arista,
    "fortigate": _fortigate,
    "generic": _generic,
}
