"""Inventory endpoints and the shape of every special device's entPhysical table."""

from __future__ import annotations

import pytest


def inv(api, device_id):
    return api.json(f"/inventory/{device_id}/all")["inventory"]


def device(api, device_id):
    return api.json(f"/devices/{device_id}")["devices"][0]


def test_all_for_unknown_device_is_200_empty(api):
    for key in ("999999", "no.such.host"):
        response = api.get(f"/inventory/{key}/all")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "inventory": [], "count": 0}


def test_plain_inventory_unknown_device(api):
    response = api.get("/inventory/no.such.host")
    assert response.status_code == 400
    assert response.json() == {"status": "error", "message": "Invalid device provided"}
    # LibreNMS only rejects what is not numeric: an unknown numeric id queries and finds nothing
    assert api.json("/inventory/999999") == {"status": "ok", "inventory": [], "count": 0}


def test_plain_inventory_is_forced_to_root_level(api, estate):
    stack = estate.specials["cisco_stack_relpos0"]
    assert api.json(f"/inventory/{stack}", entPhysicalClass="chassis")["inventory"] == []
    root = api.json(f"/inventory/{stack}")["inventory"]
    assert [r["entPhysicalClass"] for r in root] == ["stack"]
    assert api.json(f"/inventory/{stack}", entPhysicalContainedIn="0")["inventory"] == root
    members = api.json(f"/inventory/{stack}", entPhysicalContainedIn=str(root[0]["entPhysicalIndex"]))["inventory"]
    assert [r["entPhysicalClass"] for r in members] == ["chassis"] * 3
    chassis = api.json(f"/inventory/{stack}", entPhysicalClass="CHASSIS", entPhysicalContainedIn="1")
    assert chassis["count"] == 3
    by_name = api.json(f"/inventory/{estate.by_id[stack]['hostname']}")["inventory"]
    assert by_name == root


def _chassis(rows):
    return [r for r in rows if r["entPhysicalClass"] == "chassis"]


def test_cisco_stack_relpos0(api, estate):
    device_id = estate.specials["cisco_stack_relpos0"]
    rows = inv(api, device_id)
    roots = [r for r in rows if r["entPhysicalContainedIn"] == 0]
    assert len(roots) == 1 and roots[0]["entPhysicalClass"] == "stack"
    members = _chassis(rows)
    assert all(m["entPhysicalContainedIn"] == roots[0]["entPhysicalIndex"] for m in members)
    assert [m["entPhysicalParentRelPos"] for m in members] == [0, 2, 3]
    assert [m["entPhysicalName"] for m in members] == ["1", "2", "3"]
    assert device(api, device_id)["serial"] == members[0]["entPhysicalSerialNum"]
    assert len({m["entPhysicalSerialNum"] for m in members}) == 3


def test_cisco_stack_named_master_is_member_two(api, estate):
    device_id = estate.specials["cisco_stack_named"]
    members = _chassis(inv(api, device_id))
    assert [m["entPhysicalName"] for m in members] == ["Switch 1 Chassis", "Switch 2 Chassis"]
    assert [m["entPhysicalParentRelPos"] for m in members] == [1, 2]
    serial = device(api, device_id)["serial"]
    assert serial == members[1]["entPhysicalSerialNum"] != members[0]["entPhysicalSerialNum"]


def test_cisco_stack_nullserial(api, estate):
    members = _chassis(inv(api, estate.specials["cisco_stack_nullserial"]))
    assert len(members) == 3
    assert [m["entPhysicalParentRelPos"] for m in members] == [0, 1, 2]
    assert sum(m["entPhysicalSerialNum"] is None for m in members) == 1
    assert sum(m["entPhysicalModelName"] == "" for m in members) == 1


def test_cisco_svl_has_no_master_chassis(api, estate):
    device_id = estate.specials["cisco_svl_nomaster"]
    rows = inv(api, device_id)
    dev = device(api, device_id)
    members = _chassis(rows)
    assert len(members) == 2 and [m["entPhysicalParentRelPos"] for m in members] == [1, 2]
    assert [r["entPhysicalClass"] for r in rows if r["entPhysicalContainedIn"] == 0] == ["stack"]
    assert all(m["entPhysicalSerialNum"] != dev["serial"] for m in members)
    card = [r for r in rows if r["entPhysicalSerialNum"] == dev["serial"]]
    assert len(card) == 1 and card[0]["entPhysicalClass"] == "module"
    assert card[0]["entPhysicalModelName"] == dev["hardware"]


def test_standalone_stackable_has_one_chassis_under_stack_root(api, estate):
    device_id = estate.specials["cisco_standalone_stackable"]
    rows = inv(api, device_id)
    assert [r["entPhysicalClass"] for r in rows if r["entPhysicalContainedIn"] == 0] == ["stack"]
    members = _chassis(rows)
    assert len(members) == 1 and members[0]["entPhysicalSerialNum"] == device(api, device_id)["serial"]


def _fpcs(rows):
    return [r for r in rows if r["entPhysicalVendorType"] == "FPC"]


def test_juniper_vc(api, estate):
    device_id = estate.specials["juniper_vc"]
    rows = inv(api, device_id)
    assert not any(r["entPhysicalClass"] == "stack" for r in rows)
    assert any(r["entPhysicalIndex"] == 7 for r in rows)  # the FPC container
    fpcs = _fpcs(rows)
    assert len(fpcs) == 2
    for n, fpc in enumerate(fpcs):
        assert fpc["entPhysicalDescr"] == f"FPC: EX4300-48T @ {n}/*/*"
        assert fpc["entPhysicalContainedIn"] == 7
        assert fpc["entPhysicalIndex"] == (n + 1) * 1000000 + 7
        assert fpc["entPhysicalClass"] is None
        assert fpc["entPhysicalModelName"].startswith("650-")
    assert fpcs[0]["entPhysicalSerialNum"] == device(api, device_id)["serial"] != fpcs[1]["entPhysicalSerialNum"]
    assert {r["entPhysicalClass"] for r in rows} == {None, "powerSupply", "fan"}


def test_juniper_single_has_one_fpc(api, estate):
    assert len(_fpcs(inv(api, estate.specials["juniper_single"]))) == 1


def test_aruba_vsf(api, estate):
    device_id = estate.specials["aruba_vsf"]
    rows = inv(api, device_id)
    assert rows and all(r["entPhysicalClass"] is None for r in rows)
    top = [r for r in rows if r["entPhysicalContainedIn"] == 0]
    assert top[0]["entPhysicalName"] == "Stack" and top[0]["entPhysicalDescr"] == "Aruba 6300 VSF Stack"
    chassis = [r for r in top if r["entPhysicalName"].startswith("Chassis")]
    assert [c["entPhysicalName"] for c in chassis] == ["Chassis 1", "Chassis 2"]
    assert all(c["entPhysicalSerialNum"] for c in chassis)
    assert chassis[0]["entPhysicalSerialNum"] == device(api, device_id)["serial"]


def test_mx_router_reports_its_line_cards_as_fpc_rows(api, estate):
    routers = [d["device_id"] for d in estate.devices if (d["hardware"] or "").startswith("Juniper MX")
               and estate.plans[d["device_id"]]["kind"] == "juniper"]
    assert routers
    rows = inv(api, routers[0])
    assert [r["entPhysicalDescr"] for r in _fpcs(rows)] == [
        "FPC: MPC7E 3D 40XGE @ 0/*/*", "FPC: MPC7E 3D 40XGE @ 1/*/*", "FPC: MPC10E 3D MRATE-15xQSFPP @ 2/*/*"]
    assert len({r["entPhysicalSerialNum"] for r in _fpcs(rows)}) == 3


def test_junos_evo_reports_class_zero_everywhere(api, estate):
    rows = inv(api, estate.specials["junos_evo_class0"])
    assert rows and {r["entPhysicalClass"] for r in rows} == {"0"}
    assert len(_fpcs(rows)) == 1


def test_no_inventory(api, estate):
    device_id = estate.specials["no_inventory"]
    assert api.json(f"/inventory/{device_id}/all") == {"status": "ok", "inventory": [], "count": 0}
    assert device(api, device_id)["serial"]


@pytest.mark.parametrize("name, check", [
    ("vm_server", lambda d: (d["type"], d["os"], d["hardware"]) == ("server", "linux", "VMware Virtual Platform")),
    ("disabled_device", lambda d: d["disabled"] is True),
    ("ignored_device", lambda d: d["ignore"] is True),
    ("down_device", lambda d: d["status"] is False and d["status_reason"] == "icmp"),
    ("fqdn_device", lambda d: d["sysName"] == d["hostname"] == "core1.lon1.example.net"),
    ("unicode_device", lambda d: d["sysName"] == "zürich-sw-ö1"),
    ("long_name_device", lambda d: len(d["sysName"]) > 64),
    ("no_hardware", lambda d: d["hardware"] is None),
    ("ip_hostname", lambda d: d["hostname"].count(".") == 3 and d["hostname"].replace(".", "").isdigit()
     and not d["sysName"]),
    ("no_sysname", lambda d: d["sysName"] is None),
    ("unset_ip", lambda d: d["ip"] is None),
])
def test_special_device_fields(api, estate, name, check):
    assert check(device(api, estate.specials[name])), name


def test_dup_sysname_pair(api, estate):
    a, b = (device(api, estate.specials[n]) for n in ("dup_sysname_a", "dup_sysname_b"))
    assert a["sysName"] == b["sysName"] and a["location_id"] == b["location_id"]
    assert a["hostname"] != b["hostname"] and a["serial"] != b["serial"]


def test_for_existing_and_conflict_devices_are_ordinary_and_unique(api, estate):
    names = [n for n in estate.specials if n.startswith(("for_existing_", "for_conflict_"))]
    assert len(names) == 7
    rows = [device(api, estate.specials[n]) for n in names]
    for key in ("serial", "sysName", "ip", "hostname"):
        values = [r[key] for r in rows]
        assert all(values) and len(set(values)) == 7, key
    assert all(not r["disabled"] and not r["ignore"] and r["status"] for r in rows)
    all_serials = [d["serial"] for d in estate.devices if d["serial"]]
    assert all(all_serials.count(r["serial"]) == 1 for r in rows)
