# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""assess() with a fake NetBox reader and a fake LibreNMS client: which inventories it reads, and the states."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.assess import assess
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import (
    normalize_device,
    normalize_inventory,
)

CISCO = {"id": 1, "name": "Cisco", "slug": "cisco"}
REFERENCE = {
    "sites": [{"id": 10, "name": "Paris DC1", "slug": "paris-dc1"}, {"id": 11, "name": "Lyon", "slug": "lyon"}],
    "locations": [],
    "manufacturers": [CISCO],
    "device_types": [{"id": 100, "model": "Catalyst 2960X-48FPD-L", "slug": "c2960x-48fpd-l",
                      "part_number": "WS-C2960X-48FPD-L", "manufacturer": CISCO}],
    "platforms": [{"id": 200, "name": "ios", "slug": "ios"}],
    "roles": [{"id": 300, "name": "access", "slug": "access", "vm_role": False},
              {"id": 302, "name": "server", "slug": "server", "vm_role": True}],
    "racks": [],
    "clusters": [{"id": 500, "name": "vmware-paris", "site": {"id": 10, "name": "Paris DC1"}}],
}
NB = "https://netbox.example.net/api/dcim/devices"
# sw5 was imported before; sw6 is the lone master of a stack a past run did not finish (renamed, no chassis).
NETBOX_DEVICES = [
    {"id": 95, "name": "sw5", "serial": "FOC5", "url": f"{NB}/95/", "virtual_chassis": None,
     "status": {"value": "active"}, "custom_fields": {"librenms_id": {"default": 5}}},
    {"id": 96, "name": "sw6-M1", "serial": "", "url": f"{NB}/96/", "virtual_chassis": None,
     "status": {"value": "active"}, "custom_fields": {"librenms_id": {"default": 6}}},
]
PARAMS = {"role_rules": [{"match": {"os": "^ios$"}, "role": "access"}],
          "selections": {"4": {"as_vm": True, "cluster": "vmware-paris", "role": "server"}}}


class FakeNetBox:
    """What NetBoxAccess returns: plain dicts, read once per assess."""

    def __init__(self, devices=(), vms=()):
        self.devices, self.vms = list(devices), list(vms)
        self.reads = []

    def reference_data(self):
        self.reads.append("reference_data")
        return REFERENCE

    def existing_objects(self):
        self.reads.append("existing_objects")
        return {"devices": self.devices, "vms": self.vms}


class FakeLibreNMS:
    """LibreNMSClient.inventories: one entry per id asked (no rows for a device without inventory)."""

    def __init__(self, rows=None):
        self.rows = rows or {}
        self.asked = []

    def inventories(self, ids, concurrency=4, on_done=None, on_error=None):
        ids = list(ids)
        self.asked.append((ids, concurrency))
        results = {}
        for device_id in ids:
            results[device_id] = self.rows.get(device_id, [])
            if on_done:
                on_done(len(results), len(ids))
        return results


def device(device_id, sysname=None, **fields):
    row = {"device_id": device_id, "hostname": f"{sysname or f'sw{device_id}'}.paris.example.net",
           "sysName": sysname or f"sw{device_id}", "os": "ios", "hardware": "WS-C2960X-48FPD-L",
           "location": "Paris DC1", "type": "network", "serial": f"FOC{device_id}", "ip": f"10.0.0.{device_id}",
           "status": 1, "community": "public"}
    row.update(fields)
    return normalize_device(row)


def stack_inventory(*serials):
    rows = [{"entPhysicalIndex": 1, "entPhysicalClass": "stack", "entPhysicalName": "Stack",
             "entPhysicalContainedIn": 0}]
    for number, serial in enumerate(serials, start=1):
        rows.append({"entPhysicalIndex": number * 1000, "entPhysicalClass": "chassis",
                     "entPhysicalName": f"Switch {number}", "entPhysicalContainedIn": 1,
                     "entPhysicalParentRelPos": number, "entPhysicalSerialNum": serial,
                     "entPhysicalModelName": "WS-C2960X-48FPD-L"})
    return normalize_inventory(rows)


# 1 ready, 2 needs a role, 3 blocked (no site), 4 a VM, 5 in NetBox, 6 a lone master of an unfinished stack.
CANDIDATES = [device(1), device(2, os="linux"), device(3, location="Mars"), device(4, os="vmware"), device(5),
              device(6)]


def run(candidates=None, detect="all", rows=None, devices=None, **params):
    candidates = CANDIDATES if candidates is None else candidates
    devices = NETBOX_DEVICES if devices is None else devices
    librenms, netbox, seen = FakeLibreNMS(rows), FakeNetBox(devices), []
    assessment = assess(candidates, dict(PARAMS, **params), librenms, netbox, detect=detect,
                        progress=lambda *point: seen.append(point))
    return assessment, librenms, netbox, seen


def by_id(assessment):
    return {state["device_id"]: state for state in assessment.states}


def test_the_candidates_get_the_status_their_data_gives():
    assessment, _librenms, netbox, _seen = run(detect="none")
    states = by_id(assessment)
    assert {device_id: state["status"] for device_id, state in states.items()} == {
        1: "ready", 2: "needs_review", 3: "blocked", 4: "ready", 5: "exists", 6: "exists"}
    assert states[4]["import_as"] == "vm" and states[4]["cluster"]["name"] == "vmware-paris"
    assert states[4]["selection"] == {"as_vm": True, "cluster": "vmware-paris", "role": "server"}
    assert states[6]["existing"]["name"] == "sw6-M1"
    assert netbox.reads == ["reference_data", "existing_objects"]
    assert assessment.server_key == "default"
    assert assessment.existing_objects[("device", 96)] is NETBOX_DEVICES[1]
    assert sorted(assessment.devices) == [1, 2, 3, 4, 5, 6]


def test_detect_none_reads_no_inventory():
    assessment, librenms, _netbox, seen = run(detect="none", rows={1: stack_inventory("FOC1", "FOC9")})
    assert librenms.asked == []
    assert assessment.inventories == {}
    assert by_id(assessment)[1]["virtual_chassis"] is None
    assert seen == [("validate", 6, 6)]


def test_detect_all_reads_every_candidate_once_a_few_at_a_time():
    _assessment, librenms, _netbox, seen = run(detect="all", inventory_concurrency=8)
    assert librenms.asked == [([1, 2, 3, 4, 5, 6], 8)]
    assert seen == [("inventory", n, 6) for n in range(1, 7)] + [("validate", 6, 6)]


def test_detect_importable_reads_only_devices_the_import_may_create_or_complete():
    assessment, librenms, _netbox, seen = run(detect="importable")
    # not the VM (4), not sw5 (in NetBox); sw6 is read: its stack may need completing
    assert librenms.asked == [([1, 2, 3, 6], 4)]
    assert sorted(assessment.inventories) == [1, 2, 3, 6]
    assert [point[0] for point in seen] == ["inventory"] * 4 + ["validate"]


def test_importable_reads_nothing_when_nothing_is_importable():
    assessment, librenms, _netbox, seen = run([device(4, os="vmware"), device(5)], detect="importable")
    assert librenms.asked == []
    assert [state["status"] for state in assessment.states] == ["ready", "exists"]
    assert seen == [("validate", 2, 2)]


def test_a_stack_in_the_inventory_becomes_the_states_virtual_chassis():
    rows = {1: stack_inventory("FOC1", "FOC9"), 6: stack_inventory("FOC6", "FOC66")}
    states = by_id(run(detect="importable", rows=rows)[0])
    vc = states[1]["virtual_chassis"]
    assert (vc["kind"], vc["master_position"]) == ("stack", 1)
    assert [(m["position"], m["serial"], m["name"], m["is_master"]) for m in vc["members"]] == [
        (1, "FOC1", "sw1-M1", True), (2, "FOC9", "sw1-M2", False)]
    assert states[1]["status"] == "ready"
    assert states[6]["virtual_chassis"]["members"][0]["name"] == "sw6-M1"
    assert states[2]["virtual_chassis"] is None


def test_a_blocked_device_can_be_unblocked_by_its_chassis_model():
    rows = {7: normalize_inventory([{"entPhysicalIndex": 1, "entPhysicalClass": "chassis", "entPhysicalName": "1",
                                     "entPhysicalContainedIn": 0, "entPhysicalModelName": "WS-C2960X-48FPD-L"}])}
    without = by_id(run([device(7, hardware="Cisco Catalyst")], detect="none")[0])[7]
    assert without["status"] == "blocked"
    state = by_id(run([device(7, hardware="Cisco Catalyst")], detect="importable", rows=rows)[0])[7]
    assert state["status"] == "ready"
    assert state["device_type"] == {"id": 100, "name": "Catalyst 2960X-48FPD-L", "matched_by": "chassis_part_number"}


def test_without_chassis_creation_only_devices_without_a_device_type_are_read_for_their_chassis_model():
    """create_virtual_chassis: false still reads the inventory a device type needs, once, and nothing else."""
    stack = normalize_inventory([
        {"entPhysicalIndex": 1, "entPhysicalClass": "stack", "entPhysicalName": "Stack", "entPhysicalContainedIn": 0},
        *({"entPhysicalIndex": n * 1000, "entPhysicalClass": "chassis", "entPhysicalName": f"Switch {n}",
           "entPhysicalContainedIn": 1, "entPhysicalSerialNum": f"FOC7{n}", "entPhysicalModelName": "WS-C2960X-48FPD-L"}
          for n in (1, 2))])
    candidates = [device(7, hardware="Cisco Catalyst", serial="FOC71"), device(8, hardware="Cisco Catalyst"), device(1)]
    assessment, librenms, _netbox, _seen = run(candidates, detect="device_type", rows={7: stack, 8: []})
    assert librenms.asked == [([7, 8], 4)]  # not device 1: its hardware matches
    states = by_id(assessment)
    assert states[7]["status"] == "ready" and states[7]["device_type"]["matched_by"] == "chassis_part_number"
    assert states[7]["virtual_chassis"] is None and states[7]["review"] == []
    assert states[8]["status"] == "blocked" and states[1]["status"] == "ready"


def test_a_vm_ignores_a_stack_found_by_detect_all():
    state = by_id(run(detect="all", rows={4: stack_inventory("FOC4", "FOC44")})[0])[4]
    assert state["virtual_chassis"] is None
    assert "the stack detected in the inventory is not created for a VM" in state["warnings"]


def test_exclude_existing_drops_what_netbox_already_has_before_any_inventory():
    assessment, librenms, _netbox, seen = run(detect="all", exclude_existing=True)
    assert sorted(assessment.devices) == [1, 2, 3, 4]
    assert librenms.asked == [([1, 2, 3, 4], 4)]
    assert [state["device_id"] for state in assessment.states] == [1, 2, 3, 4]
    assert seen[-1] == ("validate", 4, 4)


def test_exclude_existing_uses_the_name_a_selection_gives():
    netbox_device = {"id": 97, "name": "core-paris", "serial": "", "url": f"{NB}/97/", "custom_fields": {}}
    candidates = [device(1), device(2)]
    assessment = run(candidates, detect="none", devices=[netbox_device], exclude_existing=True,
                     selections={"1": {"name": "core-paris"}})[0]
    assert [state["device_id"] for state in assessment.states] == [2]


def test_two_candidates_with_one_name_in_one_site_are_both_blocked():
    candidates = [device(1, sysname="core"), device(2, sysname="CORE"), device(3, sysname="core", location="Lyon")]
    states = by_id(run(candidates, detect="none", devices=[])[0])
    assert (states[1]["status"], states[2]["status"], states[3]["status"]) == ("blocked", "blocked", "ready")
    assert states[1]["issues"] == [
        "name 'core' is also the name of LibreNMS device 2 (CORE.paris.example.net) in site 'Paris DC1': give all "
        "but one of them another name with selections.<id>.name (ids 1, 2)"]


def test_states_are_sorted_by_name_then_id():
    candidates = [device(9, sysname="zeta"), device(3, sysname="Alpha"), device(8, sysname="beta"),
                  device(2, sysname="alpha", location="Lyon")]
    assessment = run(candidates, detect="none", devices=[])[0]
    assert [(state["name"], state["device_id"]) for state in assessment.states] == [
        ("alpha", 2), ("Alpha", 3), ("beta", 8), ("zeta", 9)]


def test_a_server_key_reads_librenms_ids_of_that_server_only():
    assessment = run(detect="none", server_key="lab")[0]
    assert assessment.server_key == "lab"
    assert by_id(assessment)[5]["existing"]["match"] == "name"  # {"default": 5} is another server's id
    assert by_id(assessment)[6]["status"] == "ready"  # "sw6-M1" is not sw6 without the link


@pytest.mark.parametrize("detect", ["none", "all", "importable"])
def test_no_candidates_no_inventory_and_a_validate_point(detect):
    assessment, librenms, _netbox, seen = run([], detect=detect)
    assert (assessment.states, librenms.asked, seen) == ([], [], [("validate", 0, 0)])


def test_selections_for_devices_the_run_never_saw_are_named_in_one_warning():
    selections = dict(PARAMS["selections"], **{"999": {"role": "access"}, "nosuch.example.net": {"role": "access"},
                                               "SW1.paris.example.net": {"role": "access"}})
    assessment = run(detect="none", selections=selections)[0]
    assert len(assessment.warnings) == 1
    assert "selections name 2 device(s) this run did not find" in assessment.warnings[0]
    assert assessment.warnings[0].endswith(": 999, nosuch.example.net")
    assert run(detect="none")[0].warnings == []


def test_the_warning_on_unseen_selections_names_20_and_counts_the_rest():
    selections = {str(1000 + number): {"role": "access"} for number in range(50)}
    warning = run(detect="none", selections=selections)[0].warnings[0]
    assert "selections name 50 device(s)" in warning and warning.endswith("1019 and 30 more")


class FailingLibreNMS(FakeLibreNMS):
    """Device 1's inventory call fails after its retries; the others answer."""

    def inventories(self, ids, concurrency=4, on_done=None, on_error=None):
        ids = list(ids)
        on_error(1, "GET /api/v0/inventory/1/all on LibreNMS https://nms: server errors persisted after retries")
        return super().inventories([i for i in ids if i != 1], concurrency, on_done)


def test_a_failed_inventory_call_makes_that_device_needs_review_naming_the_call():
    assessment = assess(CANDIDATES, PARAMS, FailingLibreNMS(), FakeNetBox(NETBOX_DEVICES), detect="all")
    states = by_id(assessment)
    assert states[1]["status"] == "needs_review"
    assert "inventory not read" in states[1]["review"][-1] and "GET /api/v0/inventory/1/all" in states[1]["review"][-1]
    assert {device_id: state["status"] for device_id, state in states.items() if device_id != 1} == {
        2: "needs_review", 3: "blocked", 4: "ready", 5: "exists", 6: "exists"}
