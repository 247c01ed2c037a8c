# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    build_existing_index,
    chassis_sizes,
    find_existing,
    name_candidates,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device


def device(**fields):
    row = {"device_id": 12, "hostname": "sw1.paris.example.net", "sysName": "sw1", "os": "ios",
           "hardware": "WS-C2960X-48FPD-L", "location": "Paris DC1", "type": "network", "serial": "FOC1"}
    row.update(fields)
    return normalize_device(row)


def nb_device(obj_id, name, serial="", librenms_id=None, address=None):
    return {"id": obj_id, "name": name, "serial": serial, "url": f"https://netbox/api/dcim/devices/{obj_id}/",
            "primary_ip": {"address": address} if address else None,
            "custom_fields": {"librenms_id": librenms_id}}


def test_librenms_id_json_per_server():
    existing = build_existing_index([nb_device(1, "renamed", librenms_id={"default": 12, "lab": 99})], [], "default")
    found = find_existing(device(), "sw1", existing, "default")
    assert found == {"id": 1, "name": "renamed", "url": "https://netbox/api/dcim/devices/1/", "kind": "device",
                     "match": "librenms_id", "conflict": None}


def test_librenms_id_of_another_server_does_not_match():
    existing = build_existing_index([nb_device(1, "renamed", librenms_id={"lab": 12})], [], "default")
    assert find_existing(device(), "sw1", existing, "default") is None


def test_legacy_bare_integer_links_under_default_and_is_a_legacy_match_under_other_keys():
    assert find_existing(device(), "x", build_existing_index([nb_device(1, "r", librenms_id=12)], [], "default"),
                         "default")["match"] == "librenms_id"
    # Under another key the bare id may be this device: never "no match" (which made the device ready).
    found = find_existing(device(), "x", build_existing_index([nb_device(1, "r", librenms_id="12")], [], "lab"),
                          "lab")
    assert (found["id"], found["match"], found["conflict"]) == (1, "legacy_id", None)
    # A JSON id of this key still wins over a legacy one of another object.
    both = build_existing_index([nb_device(1, "r", librenms_id=12), nb_device(2, "s", librenms_id={"lab": 12})],
                                [], "lab")
    assert find_existing(device(), "x", both, "lab")["id"] == 2


@pytest.mark.parametrize("netbox_name, label", [
    ("sw1.paris.example.net", "hostname"),
    ("SW1.Paris.Example.NET", "hostname"),
    ("core-sw1", "sysName"),
    ("core-sw1.paris.example.net", "sysName"),
])
def test_every_name_the_device_may_have_been_imported_under_finds_it(netbox_name, label):
    dev = device(hostname="sw1.paris.example.net", sysName="core-sw1.paris.example.net", serial="")
    # we would name it by its short sysName; NetBox holds it under another of its names, with no serial
    index = build_existing_index([nb_device(1, netbox_name)], [], "default")
    name = "core-sw1" if netbox_name != "core-sw1" else "core-sw1.paris.example.net"
    found = find_existing(dev, name, index, "default")
    assert found is not None and found["id"] == 1 and found["conflict"] is None
    assert found["match"].startswith(label), found


def test_other_name_with_another_serial_is_a_conflict_not_a_second_device():
    index = build_existing_index([nb_device(1, "sw1.paris.example.net", serial="OTHER")], [], "default")
    found = find_existing(device(serial="FOC1"), "sw1", index, "default")
    assert found["match"] == "hostname" and "hostname 'sw1.paris.example.net' is taken" in found["conflict"]


def test_name_candidates_in_order_each_once():
    dev = device(hostname="sw1.paris.example.net", sysName="SW1")
    assert name_candidates(dev, "sw1") == [("name", "sw1"), ("hostname", "sw1.paris.example.net")]


def test_librenms_id_stored_as_json_text():
    existing = build_existing_index([nb_device(1, "r", librenms_id='{"default": 12}')], [], "default")
    assert find_existing(device(), "x", existing, "default")["match"] == "librenms_id"


def test_vm_with_the_librenms_id():
    vm = {"id": 9, "name": "vm1", "url": "u", "custom_fields": {"librenms_id": {"default": 12}}}
    found = find_existing(device(), "sw1", build_existing_index([], [vm], "default"), "default")
    assert (found["kind"], found["match"]) == ("vm", "librenms_id")


def test_name_matches_devices_and_vms_case_insensitively():
    existing = build_existing_index([nb_device(1, "SW1")], [{"id": 9, "name": "web1", "url": "u"}], "default")
    assert find_existing(device(), "sw1", existing, "default")["match"] == "name"
    found = find_existing(device(hostname="web1", sysName=""), "WEB1", existing, "default")
    assert (found["kind"], found["match"], found["conflict"]) == ("vm", "name", None)


def test_name_owned_by_another_librenms_device_is_a_conflict():
    existing = build_existing_index([nb_device(1, "sw1", librenms_id={"default": 77})], [], "default")
    found = find_existing(device(), "sw1", existing, "default")
    assert found["match"] == "name"
    assert "linked to LibreNMS device 77" in found["conflict"]


def test_name_with_a_different_serial_is_a_conflict():
    existing = build_existing_index([nb_device(1, "sw1", serial="OTHER")], [], "default")
    found = find_existing(device(), "sw1", existing, "default")
    assert "has serial 'OTHER' but LibreNMS reports 'FOC1'" in found["conflict"]


def test_name_with_one_serial_unset_agrees():
    existing = build_existing_index([nb_device(1, "sw1", serial="")], [], "default")
    assert find_existing(device(), "sw1", existing, "default")["conflict"] is None


def test_serial_with_an_alias_name_exists():
    existing = build_existing_index([nb_device(1, "sw1.paris.example.net", serial="foc1")], [], "default")
    found = find_existing(device(), "brand-new-name", existing, "default")
    assert (found["match"], found["conflict"]) == ("serial", None)


def test_serial_on_another_name_is_a_conflict():
    existing = build_existing_index([nb_device(1, "lyon-sw4", serial="FOC1")], [], "default")
    found = find_existing(device(), "sw1", existing, "default")
    assert found["match"] == "serial"
    assert found["conflict"] == "serial FOC1 already belongs to NetBox device 'lyon-sw4'"


def test_placeholder_serials_never_match():
    existing = build_existing_index([nb_device(1, "other", serial="N/A")], [], "default")
    assert find_existing(device(serial="n/a"), "sw1", existing, "default") is None


def test_primary_ip_host_part_matches():
    existing = build_existing_index([nb_device(1, "old-name", address="10.0.0.5/24")], [], "default")
    found = find_existing(device(ip="10.0.0.5", serial=""), "sw1", existing, "default")
    assert (found["match"], found["conflict"]) == ("primary_ip", None)


def test_ip_hostname_is_used_when_ip_is_unset():
    existing = build_existing_index([nb_device(1, "old", address="2001:db8::5/64")], [], "default")
    found = find_existing(device(hostname="2001:DB8::5", sysName="", serial=""), "2001:DB8::5", existing, "default")
    assert found["match"] == "primary_ip"


def test_primary_ip_of_another_device_is_a_conflict():
    existing = build_existing_index([nb_device(1, "old", serial="XYZ", address="10.0.0.5/24")], [], "default")
    found = find_existing(device(ip="10.0.0.5"), "sw1", existing, "default")
    assert found["match"] == "primary_ip"
    assert found["conflict"].startswith("primary IP 10.0.0.5 is taken: ")


def test_order_librenms_id_before_name():
    existing = build_existing_index([nb_device(1, "sw1"), nb_device(2, "renamed", librenms_id={"default": 12})],
                                    [], "default")
    assert find_existing(device(), "sw1", existing, "default")["id"] == 2


def test_nothing_found():
    existing = build_existing_index([nb_device(1, "other", serial="X", address="10.9.9.9/32")], [], "default")
    assert find_existing(device(ip="10.0.0.5"), "sw1", existing, "default") is None


def test_chassis_sizes_count_the_listed_devices_of_each_chassis():
    devices = [{"id": 1, "virtual_chassis": {"id": 5}}, {"id": 2, "virtual_chassis": {"id": 5}},
               {"id": 3, "virtual_chassis": {"id": 6}}, {"id": 4, "virtual_chassis": None}, {"id": 7}]
    assert chassis_sizes(devices) == {5: 2, 6: 1}
