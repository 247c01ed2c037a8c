"""Field types per endpoint and per simulated LibreNMS generation; secrets in clear text."""

from __future__ import annotations

# These tests check exact wire types (a bool must not pass for an int), which isinstance() cannot tell apart.
# pylint: disable=unidiomatic-typecheck
import re

from harness.librenms_sim import SECRET_FIELDS, SECRET_MARKER, SECRET_VALUE_FIELDS
from harness.librenms_sim.catalog import BOOL_FLAGS, DATE_COLUMNS, DEVICE_COLUMNS, ENT_COLUMNS, LIST_EXTRA_COLUMNS

SQL_DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$")


def by_id(rows):
    return {r["device_id"]: r for r in rows}


def test_list_row_columns_and_types(api, estate):
    rows = by_id(api.devices())
    assert len(DEVICE_COLUMNS) >= 53
    for row in rows.values():
        assert list(row) == list(DEVICE_COLUMNS) + list(LIST_EXTRA_COLUMNS)
        assert row["status"] in (0, 1) and type(row["status"]) is int
        assert all(type(row[f]) is int for f in BOOL_FLAGS)
        assert all(row[c] is None or SQL_DATE.match(row[c]) for c in DATE_COLUMNS)
        assert row["lat"] is None or isinstance(row["lat"], str)
        assert isinstance(row["ip"], str)
        assert row["location"] is None or isinstance(row["location"], str)
    sp = estate.specials
    assert rows[sp["unset_ip"]]["ip"] == ""
    child = rows[sp["dependency_child"]]
    parents = [sp["cisco_svl_nomaster"], sp["juniper_vc"]]
    assert child["dependency_parent_id"] == ",".join(map(str, parents))
    assert child["dependency_parent_hostname"] == ",".join(rows[p]["hostname"] for p in parents)
    assert rows[1]["dependency_parent_id"] is None
    assert rows[1]["lat"] == "51.50764200"


def test_single_device_types(api, estate):
    sp = estate.specials
    for device_id in (1, sp["unset_ip"], sp["disabled_device"], sp["down_device"]):
        body = api.json(f"/devices/{device_id}")
        assert list(body) == ["status", "devices", "count"] and body["count"] == 1
        row = body["devices"][0]
        assert list(row) == [*DEVICE_COLUMNS, "location", "lat", "lng"]  # no dependency fields
        assert type(row["status"]) is bool
        assert all(type(row[f]) is bool for f in BOOL_FLAGS)
        assert all(row[c] is None or ISO_DATE.match(row[c]) for c in DATE_COLUMNS)
        assert row["lat"] is None or type(row["lat"]) is float
        assert row["location"] is None or isinstance(row["location"], str)
    assert api.json(f"/devices/{sp['unset_ip']}")["devices"][0]["ip"] is None
    assert api.json(f"/devices/{sp['disabled_device']}")["devices"][0]["disabled"] is True
    down = api.json(f"/devices/{sp['down_device']}")["devices"][0]
    assert down["status"] is False and down["status_reason"] == "icmp"
    first = api.json("/devices/1")["devices"][0]
    assert first["lat"] == 51.507642 and first["inserted"] == estate.by_id[1]["inserted"].replace(" ", "T") + \
        ".000000Z"


def test_secrets_in_clear_text_on_both_endpoints(api, estate):
    listed = api.devices()
    single = api.json("/devices/1")["devices"][0]
    for row in [*listed, single]:
        assert all(field in row for field in SECRET_FIELDS)
        assert SECRET_MARKER in row["community"]
    for row in [listed[0], single]:
        if row["snmpver"] == "v3":
            assert all(SECRET_MARKER in row[field] for field in SECRET_VALUE_FIELDS)
    assert all(SECRET_MARKER in single[f] for f in SECRET_VALUE_FIELDS)  # specials carry every secret
    assert set(SECRET_VALUE_FIELDS) < set(SECRET_FIELDS)


def test_legacy_types_turn_scalars_into_strings(api, ctl, estate):
    ctl.configure(legacy_types=True)
    row = by_id(api.devices())["1"]
    assert row["device_id"] == "1" and row["status"] == "1" and row["port"] == "161" and row["ignore"] == "0"
    assert row["last_polled_timetaken"] == str(estate.by_id[1]["last_polled_timetaken"])
    assert row["display"] is None  # NULL stays null
    single = api.json("/devices/1")["devices"][0]
    assert single["device_id"] == "1" and single["status"] == "1" and SQL_DATE.match(single["last_polled"])
    inv = api.json("/inventory/1/all")["inventory"]
    assert inv[0]["entPhysicalIndex"] == "1" and inv[0]["device_id"] == "1"
    assert api.json("/resources/locations")["locations"][0]["id"] == "1"
    ctl.configure(legacy_types=False)
    assert by_id(api.devices())[1]["device_id"] == 1


def test_location_object_on_the_single_device_endpoint(api, ctl, estate):
    ctl.configure(location_object=True)
    row = api.json("/devices/1")["devices"][0]
    location = row["location"]
    assert set(location) == {"id", "location", "lat", "lng", "timestamp", "fixed_coordinates"}
    assert location["id"] == 1 and location["location"] == estate.by_id[1]["location"]
    assert type(location["lat"]) is float
    assert isinstance(by_id(api.devices())[1]["location"], str)  # the list keeps the string
    lab = next(r for r in estate.devices if r["location_id"] is None)
    assert api.json(f"/devices/{lab['device_id']}")["devices"][0]["location"] is None


def test_single_device_int_flags_before_august_2025(api, ctl, estate):
    ctl.configure(single_device_int_flags=True)
    row = api.json(f"/devices/{estate.specials['ignored_device']}")["devices"][0]
    assert row["ignore"] == 1 and type(row["ignore"]) is int
    assert all(type(row[f]) is int for f in BOOL_FLAGS)
    assert type(row["status"]) is bool  # status was cast long before


def test_inventory_row_fields(api):
    rows = api.json("/inventory/1/all")["inventory"]
    assert rows
    for row in rows:
        assert list(row) == list(ENT_COLUMNS)
        assert row["entPhysicalIsFRU"] in ("true", "false")
        assert type(row["entPhysicalIndex"]) is int and type(row["entPhysicalContainedIn"]) is int
        assert row["ifIndex"] is None or type(row["ifIndex"]) is int
