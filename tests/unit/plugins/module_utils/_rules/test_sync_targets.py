"""Which NetBox devices and VMs a sync works on, and their stack members."""

from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.sync_targets import choose, linked

DEVICES = [
    {"id": 1, "name": "sw1", "custom_fields": {"librenms_id": {"default": 10}}, "virtual_chassis": {"id": 5},
     "vc_position": 1},
    {"id": 2, "name": "sw1-M2", "custom_fields": {"librenms_id": None}, "virtual_chassis": {"id": 5},
     "vc_position": 2},
    {"id": 3, "name": "r1", "custom_fields": {"librenms_id": 11}, "virtual_chassis": None, "vc_position": None},
    {"id": 4, "name": "other", "custom_fields": {"librenms_id": {"lab": 12}}, "virtual_chassis": None},
]
VMS = [{"id": 9, "name": "vm1", "custom_fields": {"librenms_id": {"default": 13}}}]


def test_linked_devices_with_members_and_vms():
    targets = linked(DEVICES, VMS, "default")
    assert [(t["kind"], t["name"], t["librenms_id"]) for t in targets] == [
        ("device", "sw1", 10), ("device", "r1", 11), ("vm", "vm1", 13)]
    assert {position: member["name"] for position, member in targets[0]["members"].items()} == {
        1: "sw1", 2: "sw1-M2"}
    assert [t["name"] for t in linked(DEVICES, VMS, "lab")] == ["other"]


def test_choose_by_name_or_librenms_id_and_filters():
    targets = linked(DEVICES, VMS, "default")
    chosen, failures = choose(targets, ["SW1", 13, "nope"], None)
    assert [t["name"] for t in chosen] == ["sw1", "vm1"]
    assert failures[0]["device"] == "nope"
    chosen, failures = choose(targets, None, {"device": {3}, "vm": set()})
    assert [t["name"] for t in chosen] == ["r1"] and failures == []
