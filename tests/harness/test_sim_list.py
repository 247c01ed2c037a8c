"""GET /api/v0/devices: every row of the reference's `type` table, and the `order` rule."""

from __future__ import annotations

import pytest

from harness.librenms_sim.specials import DUP_SYSNAME


def ids(rows) -> set:
    return {r["device_id"] for r in rows}


@pytest.mark.parametrize("params", [
    {}, {"type": ""}, {"type": "all"}, {"type": "bogus", "query": "x"}, {"type": "sysname", "query": DUP_SYSNAME},
    {"type": "OS", "query": "ios"}, {"os": "ios"}, {"hostname": "nothing-matches"},
])
def test_absent_empty_all_unknown_type_and_unknown_params_mean_every_device(api, params):
    assert len(api.devices(**params)) == 300


def test_state_types(api, estate):
    rows = estate.devices
    expected = {
        "active": {r["device_id"] for r in rows if not r["ignore"] and not r["disabled"]},
        "ignored": {r["device_id"] for r in rows if r["ignore"] and not r["disabled"]},
        "up": {r["device_id"] for r in rows if r["status"] == 1 and not r["ignore"] and not r["disabled"]},
        "down": {r["device_id"] for r in rows if r["status"] == 0 and not r["ignore"] and not r["disabled"]},
        "disabled": {r["device_id"] for r in rows if r["disabled"]},
    }
    for type_, wanted in expected.items():
        assert ids(api.devices(type=type_)) == wanted, type_
        assert wanted, type_  # the estate has some of each
    sp = estate.specials
    assert sp["disabled_device"] in expected["disabled"] and sp["disabled_device"] not in expected["active"]
    assert sp["ignored_device"] in expected["ignored"] and sp["down_device"] in expected["down"]


def test_os_is_exact_and_case_insensitive(api, estate):
    ios = {r["device_id"] for r in estate.devices if r["os"] == "ios"}
    assert ids(api.devices(type="os", query="ios")) == ios
    assert ids(api.devices(type="os", query="IOS")) == ios
    assert api.devices(type="os", query="io") == []
    assert api.devices(type="os") == []  # os = NULL matches nothing


def test_location_is_substring_case_and_accent_insensitive(api, estate):
    zurich = {r["device_id"] for r in estate.devices if r["location"] == "Zürich DC1"}
    assert zurich and ids(api.devices(type="location", query="zürich")) == zurich
    assert ids(api.devices(type="location", query="ZURICH dc")) == zurich
    with_location = {r["device_id"] for r in estate.devices if r["location"] is not None}
    assert ids(api.devices(type="location")) == with_location  # LIKE '%%': every device with a location
    assert len(with_location) < 300  # some devices have no location at all


def test_location_id_is_exact_numeric(api, estate):
    third = {r["device_id"] for r in estate.devices if r["location_id"] == 3}
    assert ids(api.devices(type="location_id", query="3")) == third
    assert ids(api.devices(type="location_id", query="03")) == third  # MySQL compares numerically
    assert api.devices(type="location_id", query="33") == []


def test_hostname_is_substring_with_like_wildcards(api, estate):
    stack = estate.by_id[estate.specials["cisco_stack_relpos0"]]
    rows = api.devices(type="hostname", query="stack-sw0")
    assert stack["device_id"] in ids(rows) and len(rows) >= 3
    assert all("stack-sw0" in r["hostname"] for r in rows)
    assert stack["device_id"] in ids(api.devices(type="hostname", query="LON1_STACK"))  # _ is a wildcard


def test_sysname_is_exact_with_its_camel_case_type(api, estate):
    dup = {estate.specials["dup_sysname_a"], estate.specials["dup_sysname_b"]}
    assert ids(api.devices(type="sysName", query=DUP_SYSNAME)) == dup
    assert ids(api.devices(type="sysName", query=DUP_SYSNAME.upper())) == dup
    assert api.devices(type="sysName", query=DUP_SYSNAME[:-1]) == []
    unicode_id = estate.specials["unicode_device"]
    assert ids(api.devices(type="sysName", query="zürich-sw-ö1")) == {unicode_id}


def test_display_is_substring(api, estate):
    shown = [r for r in estate.devices if r["display"]]
    assert shown
    sample = shown[0]["display"]
    assert shown[0]["device_id"] in ids(api.devices(type="display", query=sample[2:-2]))
    assert all(r["display"] for r in api.devices(type="display", query=""))


def test_device_id_and_type_are_exact(api, estate):
    assert ids(api.devices(type="device_id", query="7")) == {7}
    assert api.devices(type="device_id", query="999999") == []
    servers = {r["device_id"] for r in estate.devices if r["type"] == "server"}
    assert servers and ids(api.devices(type="type", query="server")) == servers
    assert api.devices(type="type", query="serv") == []


def test_serial_version_hardware_features_are_substrings(api, estate):
    target = estate.by_id[estate.specials["for_existing_by_serial"]]
    assert ids(api.devices(type="serial", query=target["serial"][3:9])) == {target["device_id"]}
    c2960 = {r["device_id"] for r in estate.devices if r["hardware"] and "2960X" in r["hardware"]}
    assert ids(api.devices(type="hardware", query="2960x")) == c2960
    assert ids(api.devices(type="version", query="15.2(7)")) == {
        r["device_id"] for r in estate.devices if r["version"] and "15.2(7)" in r["version"]}
    assert ids(api.devices(type="features", query="lanbase")) == {
        r["device_id"] for r in estate.devices if r["features"] and "LANBASE" in r["features"]}


def test_ipv4_and_mac_join_ports_and_overwrite_flags(api, estate):
    disabled = estate.by_id[estate.specials["disabled_device"]]
    rows = api.devices(type="ipv4", query=disabled["ip"])
    assert ids(rows) == {disabled["device_id"]}
    row = rows[0]
    assert row["ifName"] and row["port_id"]  # port columns merged into the device row
    assert row["disabled"] == 0  # ... and the port's `disabled` overwrote the device's 1
    assert list(row)[:3] == ["device_id", "inserted", "hostname"]  # shared columns keep their place
    mac = estate.mgmt_mac(disabled["device_id"])
    assert ids(api.devices(type="mac", query=mac)) == {disabled["device_id"]}
    assert ids(api.devices(type="mac", query=mac.upper())) == {disabled["device_id"]}
    assert api.devices(type="ipv6", query="2001:db8::1") == []
    assert api.devices(type="ipv4", query="192.0.2.1") == []


def test_old_server_answers_every_device_for_new_types(api, ctl, estate):
    ctl.configure(old_server=True)
    for type_ in ("sysName", "location_id", "type", "display", "serial", "version", "hardware", "features"):
        assert len(api.devices(type=type_, query="surely-no-match")) == 300, type_
    assert api.devices(type="os", query="surely-no-match") == []  # old types still filter
    ctl.configure(old_server=False)
    assert api.devices(type="sysName", query="surely-no-match") == []


def _host_key(row):
    return row["hostname"].casefold()


def test_order_default_and_hostname_desc(api):
    rows = api.devices()
    assert [r["hostname"] for r in rows] == [r["hostname"] for r in sorted(rows, key=_host_key)]
    desc = api.devices(order="hostname desc")
    assert [r["device_id"] for r in desc] == [r["device_id"] for r in reversed(rows)]


def test_order_by_column_and_direction(api):
    asc = [r["device_id"] for r in api.devices(order="device_id")]
    assert asc == sorted(asc)
    desc = [r["device_id"] for r in api.devices(order="DEVICE_ID DESC")]  # case-insensitive, like MySQL
    assert desc == sorted(asc, reverse=True)
    by_sysname = api.devices(order="sysName desc")
    assert by_sysname[-1]["sysName"] is None  # NULL sorts first ascending, last descending
    assert api.devices(order="sysName asc")[0]["sysName"] is None


@pytest.mark.parametrize("order", ["nope", "location", "dependency_parent_id desc", "lat asc"])
def test_order_by_missing_column_is_empty_200(api, order):
    response = api.get("/devices", order=order)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "devices": [], "count": 0}


@pytest.mark.parametrize("order", ["hostname; drop table devices", "device_id  desc", "device_id sideways",
                                   "1", "device_id,hostname"])
def test_malformed_order_falls_back_to_hostname_ascending(api, order):
    rows = api.devices(order=order)
    assert len(rows) == 300
    assert [r["hostname"] for r in rows] == [r["hostname"] for r in sorted(rows, key=_host_key)]


def test_list_answer_is_cached_and_identical(api, sim):
    first = api.get("/devices", type="os", query="junos").content
    second = api.get("/devices", type="os", query="junos").content
    assert first == second and first.count(b'"device_id"') > 3
