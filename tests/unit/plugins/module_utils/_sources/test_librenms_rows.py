# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import (
    SECRET_FIELDS,
    normalize_device,
    normalize_inventory,
    normalize_inventory_row,
)

CANONICAL_KEYS = {
    "device_id", "hostname", "sysname", "display", "ip", "hardware", "os", "version", "serial", "features",
    "type", "location", "location_id", "lat", "lng", "status", "status_reason", "ignore", "disabled",
    "sys_descr", "purpose", "notes", "uptime", "last_polled", "dependency_parent_ids",
}
SECRETS = {
    "community": "s3cr3t-community", "authname": "nms", "authpass": "s3cr3t-auth", "authalgo": "SHA",
    "cryptopass": "s3cr3t-priv", "cryptoalgo": "AES",
}

# GET /api/v0/devices: ints, "" for an unset ip, string coordinates, comma-joined parents.
LIST_ROW = {
    "device_id": 12, "hostname": "core-sw1.paris.example.net", "sysName": "core-sw1.paris.example.net",
    "display": None, "ip": "", "hardware": "WS-C2960X-48FPD-L", "os": "ios", "version": "15.2(7)E8",
    "serial": "FOC1932X0K1", "features": "LANBASEK9", "type": "network", "location": "Paris DC1",
    "location_id": 3, "lat": "48.85661400", "lng": "2.35222190", "status": 1, "status_reason": "",
    "ignore": 0, "disabled": 0, "sysDescr": "Cisco IOS Software, C2960X Software", "purpose": None,
    "notes": "", "uptime": 8640000, "last_polled": "2024-09-26 15:50:18", "dependency_parent_id": "12,15",
    "dependency_parent_hostname": "a,b", "snmpver": "v2c", "port": 161, "poller_group": 0,
    **SECRETS,
}

# GET /api/v0/devices/12 on a 2026 release: bools, null ip, float coordinates, location object.
SHOW_ROW = {
    "device_id": 12, "hostname": "core-sw1.paris.example.net", "sysName": "core-sw1.paris.example.net",
    "display": "core-sw1", "ip": None, "hardware": "WS-C2960X-48FPD-L", "os": "ios", "version": None,
    "serial": "FOC1932X0K1", "features": None, "type": "network",
    "location": {"id": 3, "location": "Paris DC1", "lat": 48.856614, "lng": 2.3522219, "fixed_coordinates": True},
    "location_id": 3, "lat": 48.856614, "lng": 2.3522219, "status": True, "status_reason": "",
    "ignore": False, "disabled": False, "sysDescr": "Cisco IOS Software", "uptime": 8640000,
    "last_polled": "2024-09-26T15:50:18.000000Z",
    **SECRETS,
}

# An old LibreNMS answers every scalar as a string.
LEGACY_ROW = {
    "device_id": "7", "hostname": "10.20.0.5", "sysName": "", "ip": "10.20.0.5", "hardware": "",
    "os": "linux", "serial": "", "type": "server", "location": "", "location_id": "", "lat": None, "lng": None,
    "status": "0", "ignore": "1", "disabled": "0", "uptime": "", "last_polled": None, "dependency_parent_id": "",
    "community": "public",
}


def test_list_row_becomes_canonical():
    device = normalize_device(LIST_ROW)
    assert set(device) == CANONICAL_KEYS
    assert device["device_id"] == 12
    assert device["sysname"] == "core-sw1.paris.example.net"
    assert device["ip"] is None
    assert device["lat"] == pytest.approx(48.856614)
    assert device["lng"] == pytest.approx(2.3522219)
    assert device["status"] is True
    assert device["ignore"] is False
    assert device["disabled"] is False
    assert device["status_reason"] is None
    assert device["notes"] is None
    assert device["sys_descr"] == "Cisco IOS Software, C2960X Software"
    assert device["uptime"] == 8640000
    assert device["last_polled"] == "2024-09-26T15:50:18"
    assert device["dependency_parent_ids"] == [12, 15]
    assert device["location"] == "Paris DC1"
    assert device["location_id"] == 3


def test_show_row_with_location_object_gives_the_same_facts():
    listed, shown = normalize_device(LIST_ROW), normalize_device(SHOW_ROW)
    for key in ("device_id", "hostname", "sysname", "hardware", "os", "serial", "type", "location",
                "location_id", "status", "ignore", "disabled", "uptime"):
        assert listed[key] == shown[key], key
    assert shown["lat"] == pytest.approx(listed["lat"])
    assert shown["last_polled"] == "2024-09-26T15:50:18Z"
    assert shown["dependency_parent_ids"] == []
    assert shown["display"] == "core-sw1"


def test_location_object_fills_id_and_coordinates_when_the_row_lacks_them():
    location = {"id": 9, "location": "Lyon", "lat": "45.76", "lng": "4.83"}
    device = normalize_device({"device_id": 4, "location": location})
    assert device["location"] == "Lyon"
    assert device["location_id"] == 9
    assert device["lat"] == pytest.approx(45.76)
    assert device["lng"] == pytest.approx(4.83)


def test_location_object_with_empty_name_is_no_location():
    device = normalize_device({"device_id": 4, "location": {"id": None, "location": ""}})
    assert device["location"] is None
    assert device["location_id"] is None


def test_legacy_string_row():
    device = normalize_device(LEGACY_ROW)
    assert device["device_id"] == 7
    assert device["sysname"] is None
    assert device["hardware"] is None
    assert device["serial"] is None
    assert device["type"] == "server"
    assert device["location"] is None
    assert device["location_id"] is None
    assert device["status"] is False
    assert device["ignore"] is True
    assert device["disabled"] is False
    assert device["uptime"] is None
    assert device["dependency_parent_ids"] == []


@pytest.mark.parametrize("row", [LIST_ROW, SHOW_ROW, LEGACY_ROW])
def test_secrets_never_survive(row):
    device = normalize_device(row)
    assert not set(SECRET_FIELDS) & set(device)
    assert set(device) == CANONICAL_KEYS
    flattened = repr(device)
    for secret in ("s3cr3t-community", "s3cr3t-auth", "s3cr3t-priv", "public"):
        assert secret not in flattened


def test_secret_field_list_is_the_documented_one():
    assert SECRET_FIELDS == ("community", "authname", "authpass", "authalgo", "cryptopass", "cryptoalgo")


def test_missing_keys_are_tolerated():
    device = normalize_device({"device_id": 99})
    assert device["hostname"] == ""
    assert device["type"] == ""
    assert device["sysname"] is None
    assert device["status"] is False
    assert device["lat"] is None
    assert device["dependency_parent_ids"] == []


def test_garbage_values_become_none_instead_of_raising():
    device = normalize_device({
        "device_id": 3, "hostname": "sw3", "uptime": "soon", "lat": "north", "lng": float("nan"),
        "last_polled": "yesterday", "status": "maybe", "hardware": ["x"], "dependency_parent_id": "a,,4,4,-1",
    })
    assert device["uptime"] is None
    assert device["lat"] is None
    assert device["lng"] is None
    assert device["last_polled"] is None
    assert device["status"] is False
    assert device["hardware"] is None
    assert device["dependency_parent_ids"] == [4]


def test_zero_date_is_no_date():
    assert normalize_device({"device_id": 1, "last_polled": "0000-00-00 00:00:00"})["last_polled"] is None


@pytest.mark.parametrize("device_id", [None, "", "abc", 0, -3, True, 1.5, {"id": 1}])
def test_row_without_usable_device_id_raises_without_leaking_secrets(device_id):
    row = {"device_id": device_id, "hostname": "sw9", "community": "s3cr3t-community"}
    with pytest.raises(LibrenmsSyncError, match="no usable device_id") as caught:
        normalize_device(row)
    assert caught.value.details == {"hostname": "sw9"}
    assert "s3cr3t" not in str(caught.value)


def test_non_object_row_raises():
    with pytest.raises(LibrenmsSyncError, match="not an object"):
        normalize_device(["device_id", 1])


def test_normalizing_twice_changes_nothing():
    once = normalize_device(LIST_ROW)
    assert normalize_device(once) == once


def test_dependency_parents_as_a_single_int_or_a_list():
    assert normalize_device({"device_id": 1, "dependency_parent_id": 8})["dependency_parent_ids"] == [8]
    assert normalize_device({"device_id": 1, "dependency_parent_id": ["3", 5]})["dependency_parent_ids"] == [3, 5]


# GET /api/v0/inventory/12/all row shapes.
CISCO_CHASSIS_ROW = {
    "entPhysical_id": 101, "device_id": 12, "entPhysicalIndex": "1001", "entPhysicalDescr": "WS-C2960X-48FPD-L",
    "entPhysicalClass": "chassis", "entPhysicalName": "1", "entPhysicalModelName": "WS-C2960X-48FPD-L",
    "entPhysicalSerialNum": "FOC1932X0K1", "entPhysicalContainedIn": "1", "entPhysicalParentRelPos": "0",
    "entPhysicalVendorType": "cevChassisWSC2960X48FPDL", "entPhysicalMfgName": "", "entPhysicalIsFRU": "false",
    "entPhysicalHardwareRev": "V05", "entPhysicalFirmwareRev": "", "entPhysicalSoftwareRev": "15.2(7)E8",
    "entPhysicalAlias": "", "entPhysicalAssetID": "", "ifIndex": None,
}


def test_inventory_row_ints_and_nones():
    row = normalize_inventory_row(CISCO_CHASSIS_ROW)
    assert row["index"] == 1001
    assert row["contained_in"] == 1
    assert row["parent_rel_pos"] == 0
    assert row["class"] == "chassis"
    assert row["name"] == "1"
    assert row["model_name"] == "WS-C2960X-48FPD-L"
    assert row["serial"] == "FOC1932X0K1"
    assert row["mfg_name"] is None
    assert row["firmware_rev"] is None
    assert row["is_fru"] is False
    assert row["if_index"] is None


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("0", "0"), (0, "0"), ("Stack", "stack")])
def test_inventory_class(raw, expected):
    assert normalize_inventory_row({"entPhysicalClass": raw})["class"] == expected


def test_inventory_unknown_rel_pos_and_missing_keys():
    row = normalize_inventory_row({"entPhysicalParentRelPos": -1})
    assert row["parent_rel_pos"] is None
    assert row["index"] is None
    assert row["is_fru"] is None


def test_inventory_row_is_idempotent():
    once = normalize_inventory_row(CISCO_CHASSIS_ROW)
    assert normalize_inventory_row(once) == once


def test_normalize_inventory_skips_garbage_entries():
    rows = normalize_inventory([CISCO_CHASSIS_ROW, None, "x", {"entPhysicalIndex": 2}])
    assert [row["index"] for row in rows] == [1001, 2]
    assert normalize_inventory(None) == []
    assert normalize_inventory({"inventory": []}) == []


def test_inventory_non_object_row_raises():
    with pytest.raises(LibrenmsSyncError):
        normalize_inventory_row("row")
