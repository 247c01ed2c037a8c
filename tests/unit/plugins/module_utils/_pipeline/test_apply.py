# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""apply_plan against a fake NetBox: what is written, in which batches and order, and what is reported."""

from __future__ import annotations

import copy
import json
import threading
from types import SimpleNamespace

import pynetbox
import requests
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import Writer, apply_plan
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import CHANGELOG_MESSAGE

NB = "https://netbox.example.net"
PLATFORM = "The assigned platform is limited to Acme device types, but this device's type belongs to Cisco."
UNIQUE = "Device name must be unique per site."


def refusal(path, errors, total):
    """NetBox 4.7's 400 answer to a bulk write: {index: {field: [messages]}} for the objects it refuses."""
    text = json.dumps({"detail": f"{len(errors)} of {total} objects could not be created.",
                       "errors": [{"index": index, "errors": found} for index, found in errors.items()]})
    response = SimpleNamespace(status_code=400, reason="Bad Request", url=f"{NB}/api/{path}/", text=text,
                               json=lambda: json.loads(text), request=SimpleNamespace(body=b"[]"))
    return pynetbox.RequestError(response)


class Endpoint:
    """A NetBox list endpoint with bulk create/update; a batch holding one refused object is refused whole."""

    def __init__(self, log, path, first_id):
        self.log, self.path, self.next_id = log, path, first_id
        self.refuse = {}  # name (create) or id (update) -> NetBox's field errors
        self.unreachable = False
        self.lock = threading.Lock()  # batches may come from several threads (write_concurrency)

    def _write(self, method, body):
        with self.lock:
            return self._write_now(method, body)

    def _write_now(self, method, body):
        self.log.append((self.path, method, copy.deepcopy(body)))
        if self.unreachable:
            raise requests.exceptions.ConnectionError("connection refused")
        keys = [item.get("name") if method == "create" else item["id"] for item in body]
        errors = {index: self.refuse[key] for index, key in enumerate(keys) if key in self.refuse}
        if errors:
            raise refusal(self.path, errors, len(body))
        if method == "update":
            return [SimpleNamespace(id=item["id"], url=f"{NB}/api/{self.path}/{item['id']}/") for item in body]
        records = []
        for _item in body:
            records.append(SimpleNamespace(id=self.next_id, url=f"{NB}/api/{self.path}/{self.next_id}/"))
            self.next_id += 1
        return records

    def create(self, body):
        return self._write("create", body)

    def update(self, body):
        return self._write("update", body)


class FakeApi:
    def __init__(self):
        self.log = []
        self.dcim = SimpleNamespace(devices=Endpoint(self.log, "dcim/devices", 1001),
                                    virtual_chassis=Endpoint(self.log, "dcim/virtual-chassis", 51))
        self.virtualization = SimpleNamespace(
            virtual_machines=Endpoint(self.log, "virtualization/virtual-machines", 2001))

    def calls(self):
        """(endpoint, method, names or ids) per request."""
        return [(path, method, [item.get("name", item.get("id")) for item in body]) for path, method, body in self.log]


# --- plan items, shaped as _pipeline/plan.py builds them ---------------------------------------------------

def payload(device_id, name, kind="device"):
    base = {"name": name, "role": 300, "platform": 200, "status": "active",
            "comments": f"Imported from LibreNMS (server default, device {device_id}) by netbox_librenms.sync.",
            "custom_fields": {"librenms_id": {"default": device_id}}}
    if kind == "vm":
        return dict(base, cluster=500)
    return dict(base, site=10, device_type=100, rack=None, serial=f"FOC{device_id:04d}")


def create(device_id, name=None, kind="device", virtual_chassis=None):
    name = name or (f"vm{device_id}" if kind == "vm" else f"sw{device_id}")
    return {"device_id": device_id, "kind": kind, "name": name, "payload": payload(device_id, name, kind),
            "virtual_chassis": virtual_chassis}


def stack(device_id=7, positions=(2, 3), warnings=()):
    members = []
    for position in positions:
        member = dict(payload(device_id, f"sw{device_id}-M{position}"), serial=f"FOC{device_id}{position}")
        member.pop("custom_fields")
        members.append({"position": position, "payload": member})
    return {"name": f"sw{device_id}", "domain": f"librenms-default-{device_id}", "master_position": 1,
            "members": members, "warnings": list(warnings)}


def update(device_id, netbox_id, kind="device", **changes):
    changes = changes or {"status": {"before": "planned", "after": "active"}}
    return {"device_id": device_id, "kind": kind, "netbox_id": netbox_id, "name": f"sw{device_id}",
            "url": f"{NB}/api/dcim/devices/{netbox_id}/", "changes": changes,
            "payload": dict({"id": netbox_id}, **{field: change["after"] for field, change in changes.items()})}


def completion(device_id=7, netbox_id=99):
    return {"device_id": device_id, "kind": "device", "name": f"sw{device_id}-M1", "netbox_id": netbox_id,
            "url": f"{NB}/api/dcim/devices/{netbox_id}/", "virtual_chassis": stack(device_id)}


SKIP = {"device_id": 40, "name": "sw40", "status": "blocked", "reason": "no site", "netbox_id": None, "url": None}


def plan(creates=(), completions=(), updates=(), skips=()):
    return {"creates": list(creates), "completions": list(completions), "updates": list(updates),
            "skips": list(skips)}


def run(the_plan, api=None, batch_size=100, check_mode=False, concurrency=1):
    api = api or FakeApi()
    seen = []
    report = apply_plan(the_plan, api, Writer(batch_size, concurrency), check_mode, lambda *point: seen.append(point))
    return report, api, seen


# --- check mode -----------------------------------------------------------------------------------------

def test_check_mode_writes_nothing_and_reports_what_the_real_run_would():
    the_plan = plan([create(7, "sw7-M1", virtual_chassis=stack(warnings=["member 4 of 'sw7' not created"])),
                     create(11, kind="vm")], [completion(8)], [update(9, 90)], [SKIP])
    report, api, seen = run(the_plan, check_mode=True)
    assert api.log == [] and seen == []
    assert report["created"] == [
        {"device_id": 7, "name": "sw7-M1", "kind": "device", "netbox_id": None, "url": None,
         "virtual_chassis": {"id": None, "name": "sw7", "members": ["sw7-M2", "sw7-M3"]}},
        {"device_id": 11, "name": "vm11", "kind": "vm", "netbox_id": None, "url": None, "virtual_chassis": None},
    ]
    assert report["updated"] == [
        {"device_id": 8, "name": "sw8-M1", "kind": "device", "netbox_id": 99, "url": f"{NB}/api/dcim/devices/99/",
         "changes": {"virtual_chassis": {"before": None, "after": "sw8"}},
         "virtual_chassis": {"id": None, "name": "sw8", "members": ["sw8-M2", "sw8-M3"]}},
        {"device_id": 9, "name": "sw9", "kind": "device", "netbox_id": 90, "url": f"{NB}/api/dcim/devices/90/",
         "changes": {"status": {"before": "planned", "after": "active"}}},
    ]
    assert report["skipped_devices"] == [SKIP] and report["failures"] == []
    assert report["warnings"] == ["member 4 of 'sw7' not created"]


# --- creates --------------------------------------------------------------------------------------------

def test_creates_are_written_in_batches_devices_then_vms_in_plan_order():
    the_plan = plan([create(1), create(21, kind="vm"), create(2), create(3), create(22, kind="vm"), create(4),
                     create(5)], skips=[SKIP])
    before = copy.deepcopy(the_plan)
    report, api, _seen = run(the_plan, batch_size=2)
    assert api.calls() == [
        ("dcim/devices", "create", ["sw1", "sw2"]), ("dcim/devices", "create", ["sw3", "sw4"]),
        ("dcim/devices", "create", ["sw5"]), ("virtualization/virtual-machines", "create", ["vm21", "vm22"]),
    ]
    assert api.log[0][2][0] == dict(payload(1, "sw1"), changelog_message=CHANGELOG_MESSAGE)
    assert all(item["changelog_message"] == CHANGELOG_MESSAGE for _p, _m, body in api.log for item in body)
    assert [(e["device_id"], e["netbox_id"], e["url"]) for e in report["created"]] == [
        (1, 1001, f"{NB}/api/dcim/devices/1001/"), (2, 1002, f"{NB}/api/dcim/devices/1002/"),
        (3, 1003, f"{NB}/api/dcim/devices/1003/"), (4, 1004, f"{NB}/api/dcim/devices/1004/"),
        (5, 1005, f"{NB}/api/dcim/devices/1005/"),
        (21, 2001, f"{NB}/api/virtualization/virtual-machines/2001/"),
        (22, 2002, f"{NB}/api/virtualization/virtual-machines/2002/"),
    ]
    assert report["created"][5] == {"device_id": 21, "name": "vm21", "kind": "vm", "netbox_id": 2001,
                                    "url": f"{NB}/api/virtualization/virtual-machines/2001/", "virtual_chassis": None}
    assert (report["updated"], report["failures"], report["warnings"]) == ([], [], [])
    assert report["skipped_devices"] == [SKIP]
    assert the_plan == before


def test_stack_master_gets_chassis_then_membership_then_members_then_chassis_master():
    the_plan = plan([create(7, "sw7-M1", virtual_chassis=stack(warnings=["member 4 of 'sw7' not created"])),
                     create(8)])
    report, api, _seen = run(the_plan)
    assert api.calls() == [
        ("dcim/devices", "create", ["sw7-M1", "sw8"]),
        ("dcim/virtual-chassis", "create", ["sw7"]),
        ("dcim/devices", "update", [1001]),
        ("dcim/devices", "create", ["sw7-M2", "sw7-M3"]),
        ("dcim/virtual-chassis", "update", [51]),
    ]
    chassis, join, members, master = (body for _path, _method, body in api.log[1:])
    assert chassis == [{"name": "sw7", "domain": "librenms-default-7", "changelog_message": CHANGELOG_MESSAGE}]
    assert join == [{"id": 1001, "virtual_chassis": 51, "vc_position": 1, "changelog_message": CHANGELOG_MESSAGE}]
    assert [(m["name"], m["virtual_chassis"], m["vc_position"], m["serial"]) for m in members] == [
        ("sw7-M2", 51, 2, "FOC72"), ("sw7-M3", 51, 3, "FOC73")]
    assert "custom_fields" not in members[0]
    assert master == [{"id": 51, "master": 1001, "changelog_message": CHANGELOG_MESSAGE}]
    assert report["created"][0]["virtual_chassis"] == {"id": 51, "name": "sw7", "members": ["sw7-M2", "sw7-M3"]}
    assert report["created"][1]["virtual_chassis"] is None
    assert report["warnings"] == ["member 4 of 'sw7' not created"]
    assert all("item" not in entry for entry in report["created"])


def test_refused_member_is_a_warning_and_the_chassis_still_gets_its_master():
    api = FakeApi()
    api.dcim.devices.refuse["sw7-M2"] = {"serial": ["Device with this Serial already exists."]}
    report, api, _seen = run(plan([create(7, "sw7-M1", virtual_chassis=stack())]), api)
    assert api.calls()[3:] == [("dcim/devices", "create", ["sw7-M2", "sw7-M3"]),
                               ("dcim/devices", "create", ["sw7-M2"]), ("dcim/devices", "create", ["sw7-M3"]),
                               ("dcim/virtual-chassis", "update", [51])]
    assert report["warnings"] == ["sw7-M1: member sw7-M2 not created: NetBox refused it (400): "
                                  "serial: Device with this Serial already exists."]
    assert report["created"][0]["virtual_chassis"]["members"] == ["sw7-M3"]
    assert report["failures"] == []


def test_refused_chassis_leaves_the_master_standing_alone_with_a_warning():
    api = FakeApi()
    api.dcim.virtual_chassis.refuse["sw7"] = {"domain": ["Ensure this field has no more than 30 characters."]}
    report, api, _seen = run(plan([create(7, "sw7-M1", virtual_chassis=stack())]), api)
    assert api.calls() == [("dcim/devices", "create", ["sw7-M1"]), ("dcim/virtual-chassis", "create", ["sw7"])]
    assert report["warnings"] == ["sw7-M1: virtual chassis not created: NetBox refused it (400): "
                                  "domain: Ensure this field has no more than 30 characters."]
    assert report["created"] == [{"device_id": 7, "name": "sw7-M1", "kind": "device", "netbox_id": 1001,
                                  "url": f"{NB}/api/dcim/devices/1001/", "virtual_chassis": None}]


def test_refused_object_fails_alone_with_netbox_words_and_the_rest_of_the_batch_is_created():
    api = FakeApi()
    api.dcim.devices.refuse["sw2"] = {"platform": [PLATFORM]}
    report, api, _seen = run(plan([create(1), create(2), create(3), create(4)]), api, batch_size=3)
    assert api.calls() == [("dcim/devices", "create", ["sw1", "sw2", "sw3"]), ("dcim/devices", "create", ["sw1"]),
                           ("dcim/devices", "create", ["sw2"]), ("dcim/devices", "create", ["sw3"]),
                           ("dcim/devices", "create", ["sw4"])]
    assert [(e["name"], e["netbox_id"]) for e in report["created"]] == [("sw1", 1001), ("sw3", 1002), ("sw4", 1003)]
    assert report["failures"] == [{"device_id": 2, "name": "sw2", "kind": "device", "netbox_id": None, "url": None,
                                   "virtual_chassis": None, "reason": f"NetBox refused it (400): platform: {PLATFORM}"}]
    assert report["skipped_devices"] == []


def test_uniqueness_clash_is_skipped_as_created_meanwhile_not_failed():
    api = FakeApi()
    api.dcim.devices.refuse["sw2"] = {"__all__": [UNIQUE]}
    report, _api, _seen = run(plan([create(1), create(2)], skips=[SKIP]), api)
    assert report["failures"] == []
    assert report["skipped_devices"] == [SKIP, {
        "device_id": 2, "name": "sw2", "kind": "device", "netbox_id": None, "url": None, "virtual_chassis": None,
        "status": "exists", "reason": f"created meanwhile by someone else: NetBox refused it (400): __all__: {UNIQUE}"}]
    assert [e["name"] for e in report["created"]] == ["sw1"]


def test_unreachable_netbox_fails_the_whole_batch_without_one_by_one_retries():
    api = FakeApi()
    api.virtualization.virtual_machines.unreachable = True
    report, api, _seen = run(plan([create(1), create(21, kind="vm"), create(22, kind="vm")]), api)
    assert api.calls()[1:] == [("virtualization/virtual-machines", "create", ["vm21", "vm22"])]
    assert [(f["name"], f["reason"]) for f in report["failures"]] == [
        ("vm21", "NetBox could not be reached (ConnectionError)"),
        ("vm22", "NetBox could not be reached (ConnectionError)")]
    assert [e["name"] for e in report["created"]] == ["sw1"]


# --- updates and completions ----------------------------------------------------------------------------

def test_updates_patch_devices_then_vms_and_a_refused_one_is_a_failure():
    vm_change = {"platform": {"before": None, "after": 200}}
    api = FakeApi()
    api.dcim.devices.refuse[92] = {"device_type": ["Device type cannot be changed: it has components."]}
    the_plan = plan(updates=[update(21, 80, kind="vm", **vm_change), update(9, 91), update(10, 92)])
    report, api, _seen = run(the_plan, api)
    assert api.calls() == [("dcim/devices", "update", [91, 92]), ("dcim/devices", "update", [91]),
                           ("dcim/devices", "update", [92]), ("virtualization/virtual-machines", "update", [80])]
    assert api.log[-1][2] == [{"id": 80, "platform": 200, "changelog_message": CHANGELOG_MESSAGE}]
    assert report["updated"] == [
        {"device_id": 9, "name": "sw9", "kind": "device", "netbox_id": 91, "url": f"{NB}/api/dcim/devices/91/",
         "changes": {"status": {"before": "planned", "after": "active"}}},
        {"device_id": 21, "name": "sw21", "kind": "vm", "netbox_id": 80, "url": f"{NB}/api/dcim/devices/80/",
         "changes": vm_change},
    ]
    (failure,) = report["failures"]
    assert (failure["device_id"], failure["netbox_id"], failure["changes"]) == (10, 92, update(10, 92)["changes"])
    assert failure["reason"] == ("NetBox refused it (400): device_type: Device type cannot be changed: "
                                 "it has components.")
    assert report["created"] == []


def test_completion_builds_the_chassis_around_the_existing_master_before_updates():
    report, api, _seen = run(plan(completions=[completion(7, 99)], updates=[update(9, 91)]))
    assert api.calls() == [
        ("dcim/virtual-chassis", "create", ["sw7"]), ("dcim/devices", "update", [99]),
        ("dcim/devices", "create", ["sw7-M2", "sw7-M3"]), ("dcim/virtual-chassis", "update", [51]),
        ("dcim/devices", "update", [91]),
    ]
    assert api.log[1][2] == [{"id": 99, "virtual_chassis": 51, "vc_position": 1,
                              "changelog_message": CHANGELOG_MESSAGE}]
    assert report["updated"][0] == {
        "device_id": 7, "name": "sw7-M1", "kind": "device", "netbox_id": 99, "url": f"{NB}/api/dcim/devices/99/",
        "changes": {"virtual_chassis": {"before": None, "after": "sw7"}},
        "virtual_chassis": {"id": 51, "name": "sw7", "members": ["sw7-M2", "sw7-M3"]}}
    assert [entry["device_id"] for entry in report["updated"]] == [7, 9]
    assert report["created"] == []


def test_completion_whose_master_cannot_join_is_only_a_warning():
    api = FakeApi()
    api.dcim.devices.refuse[99] = {"vc_position": ["A device with this position already exists."]}
    report, api, _seen = run(plan(completions=[completion(7, 99)]), api)
    assert [call[:2] for call in api.calls()] == [("dcim/virtual-chassis", "create"), ("dcim/devices", "update")]
    assert report["updated"] == [] and report["failures"] == []
    assert report["warnings"] == ["sw7-M1: not made master of its chassis: NetBox refused it (400): "
                                  "vc_position: A device with this position already exists."]


def test_a_chassis_netbox_already_holds_is_reused_and_empty_duplicates_are_deleted():
    reused = completion(7, 99)
    reused["virtual_chassis"]["existing_id"] = 41
    deleted = []
    api = FakeApi()
    api.dcim.virtual_chassis.delete = deleted.append
    removals = [{"device_id": 7, "domain": "librenms-default-7", "chassis": [{"id": 42, "name": "sw7"}]}]
    report, api, _seen = run(dict(plan(completions=[reused]), removals=removals), api)
    assert deleted == [[42]]
    assert api.calls() == [("dcim/devices", "update", [99]), ("dcim/devices", "create", ["sw7-M2", "sw7-M3"]),
                           ("dcim/virtual-chassis", "update", [41])]  # no chassis created
    assert report["updated"][0]["virtual_chassis"]["id"] == 41
    assert report["removed_virtual_chassis"] == [{"id": 42, "name": "sw7", "domain": "librenms-default-7"}]
    check, api, _seen = run(dict(plan(completions=[reused]), removals=removals), check_mode=True)
    assert api.log == [] and check["removed_virtual_chassis"] == report["removed_virtual_chassis"]


# --- progress -------------------------------------------------------------------------------------------

def test_progress_reports_each_batch_by_phase_with_running_counts():
    the_plan = plan([create(7, "sw7-M1", virtual_chassis=stack()), create(8), create(9), create(21, kind="vm"),
                     create(22, kind="vm")], updates=[update(30, 300), update(31, 301, kind="vm")])
    _report, _api, seen = run(the_plan, batch_size=2)
    assert seen == [
        ("write", 2, 5), ("write", 3, 5),  # three devices in two batches
        ("virtual_chassis", 1, 1), ("virtual_chassis", 1, 1), ("virtual_chassis", 2, 2), ("virtual_chassis", 1, 1),
        ("write", 5, 5),  # then the two VMs, counted on from the devices
        ("update", 1, 2), ("update", 2, 2),
    ]


def test_concurrent_batches_keep_the_dependency_order_of_stacks():
    # batches of one object, four at once: every step still waits for the one before it
    masters = [create(device_id, f"sw{device_id}-M1", virtual_chassis=stack(device_id)) for device_id in range(1, 7)]
    the_plan = plan(masters + [create(20 + index) for index in range(5)])
    report, api, _seen = run(the_plan, batch_size=1, concurrency=4)
    steps = [(path, method) for path, method, _names in api.calls()]
    order = [("dcim/devices", "create"), ("dcim/virtual-chassis", "create"), ("dcim/devices", "update"),
             ("dcim/devices", "create"), ("dcim/virtual-chassis", "update")]
    # the masters and standalone devices (11 requests), then 6 of each later step, never interleaved
    assert steps == [order[0]] * 11 + [order[1]] * 6 + [order[2]] * 6 + [order[3]] * 12 + [order[4]] * 6
    assert sorted(entry["name"] for entry in report["created"]) == sorted(
        [f"sw{device_id}-M1" for device_id in range(1, 7)] + [f"sw{20 + index}" for index in range(5)])
    members = {name for path, method, names in api.calls()[17 + 6:17 + 6 + 12] for name in names}
    assert members == {f"sw{device_id}-M{position}" for device_id in range(1, 7) for position in (2, 3)}
    assert all(entry["virtual_chassis"]["members"] for entry in report["created"] if entry["name"].endswith("-M1"))
    assert report["failures"] == [] and report["warnings"] == []
