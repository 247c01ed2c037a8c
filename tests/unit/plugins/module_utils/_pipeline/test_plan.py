# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""build_plan and plan_diff on plain device states: what an import would write, without any I/O."""

from __future__ import annotations

import copy

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.import_run import run_import
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.plan import (
    PlanContext,
    build_plan,
    chassis_by_domain,
    netbox_status,
    plan_diff,
    vc_domain,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    build_existing_index,
    may_be_unfinished_chassis,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import build_reference_index

CISCO = {"id": 1, "name": "Cisco", "slug": "cisco"}
INDEX = build_reference_index({
    "device_types": [
        {"id": 100, "model": "C9200L-48P-4G", "slug": "c9200l-48p", "part_number": "", "manufacturer": CISCO},
        {"id": 101, "model": "C9200L-24P-4G", "slug": "c9200l-24p", "part_number": "", "manufacturer": CISCO},
        {"id": 102, "model": "Catalyst 2960-X", "slug": "c2960x", "part_number": "WS-C2960X-24PS-L",
         "manufacturer": CISCO},
    ],
})
RESOLVED = {"site_map": {}, "device_type_map": {}, "platform_map": {}, "role": None, "role_rules": []}
SITE = {"id": 10, "name": "Paris DC1", "matched_by": "name"}
TYPE = {"id": 100, "name": "C9200L-48P-4G", "matched_by": "model"}
ROLE = {"id": 300, "name": "access", "matched_by": "role"}
PLATFORM = {"id": 200, "name": "iosxe", "matched_by": "name"}
RACK = {"id": 400, "name": "R01", "matched_by": "selection"}
CLUSTER = {"id": 500, "name": "vmware", "matched_by": "selection"}
COMMENT = "Imported from LibreNMS (server default, device {}) by netbox_librenms.sync."


def state(device_id=7, **changes):
    base = {
        "status": "ready", "device_id": device_id, "name": f"sw{device_id}", "import_as": "device",
        "issues": [], "review": [], "warnings": [], "site": SITE, "device_type": TYPE, "role": ROLE,
        "platform": PLATFORM, "rack": None, "cluster": None, "existing": None, "virtual_chassis": None,
        "serial": f"FOC{device_id:04d}", "librenms_status": True,
    }
    base.update(changes)
    return base


def member(position, serial, model="C9200L-48P-4G", is_master=False, name=None):
    return {"position": position, "serial": serial, "model": model, "is_master": is_master,
            "name": name or f"sw7-M{position}"}


def context(devices=(), vms=(), **changes):
    objects = {("device", d["id"]): d for d in devices}
    objects.update({("vm", v["id"]): v for v in vms})
    base = {
        "server_key": "default", "index": INDEX, "resolved": RESOLVED,
        "existing_index": build_existing_index(list(devices), list(vms), "default"),
        "existing_objects": objects, "custom_field_kinds": {"device", "vm"},
    }
    base.update(changes)
    return PlanContext(**base)


def existing(obj_id=99, name="sw7", kind="device", match="librenms_id", conflict=None):
    return {"id": obj_id, "name": name, "url": f"https://nb/api/dcim/devices/{obj_id}/", "kind": kind,
            "match": match, "conflict": conflict}


# ------------------------------------------------------------------------------------------------------------
# creates


def test_device_payload_is_what_the_plugin_writes():
    plan = build_plan([state(rack=RACK)], context())
    assert plan["updates"] == [] and plan["skips"] == []
    assert plan["creates"] == [{
        "device_id": 7, "kind": "device", "name": "sw7", "virtual_chassis": None,
        "payload": {"name": "sw7", "site": 10, "device_type": 100, "role": 300, "platform": 200, "rack": 400,
                    "serial": "FOC0007", "status": "active", "comments": COMMENT.format(7),
                    "custom_fields": {"librenms_id": {"default": 7}}},
    }]


def test_down_device_is_offline_and_missing_values_are_empty():
    payload = build_plan([state(librenms_status=False, platform=None, serial=None)], context())["creates"][0]["payload"]
    assert (payload["status"], payload["platform"], payload["serial"], payload["rack"]) == ("offline", None, "", None)
    assert netbox_status({"librenms_status": False}) == "offline"
    assert netbox_status({"librenms_status": True}) == "active"


def test_no_librenms_id_where_the_custom_field_is_not_enabled():
    plan = build_plan([state(), state(8, import_as="vm", cluster=CLUSTER, site=None, device_type=None)],
                      context(custom_field_kinds={"vm"}))
    device, vm = plan["creates"]
    assert "custom_fields" not in device["payload"]
    assert vm["payload"]["custom_fields"] == {"librenms_id": {"default": 8}}


def test_vm_payload():
    vm = state(11, import_as="vm", cluster=CLUSTER, site=None, device_type=None, rack=None, name="app11",
               librenms_status=False)
    assert build_plan([vm], context(server_key="lab"))["creates"] == [{
        "device_id": 11, "kind": "vm", "name": "app11", "virtual_chassis": None,
        "payload": {"name": "app11", "cluster": 500, "role": 300, "platform": 200, "status": "offline",
                    "comments": "Imported from LibreNMS (server lab, device 11) by netbox_librenms.sync.",
                    "custom_fields": {"librenms_id": {"lab": 11}}},
    }]


def stack_state(**changes):
    members = [
        member(1, "FOC0007", is_master=True),
        member(2, "FOC0008", model="C9200L-24P-4G"),  # another device type by model
        member(3, None, model=None),  # no serial, no model
        member(4, "FOC0010", model="ws-c2960x-24ps-l"),  # another device type by part number
    ]
    return state(rack=RACK, virtual_chassis={"kind": "stack", "members": members, "master_position": 1},
                 **changes)


def test_stack_master_is_renamed_and_members_get_own_type_serial_and_position():
    create = build_plan([stack_state()], context())["creates"][0]
    assert create["name"] == "sw7-M1" and create["payload"]["name"] == "sw7-M1"
    assert create["payload"]["custom_fields"] == {"librenms_id": {"default": 7}}
    vc = create["virtual_chassis"]
    assert (vc["name"], vc["domain"], vc["master_position"], vc["warnings"]) == ("sw7", "librenms-default-7", 1, [])
    assert [(m["position"], m["payload"]["name"], m["payload"]["serial"], m["payload"]["device_type"])
            for m in vc["members"]] == [(2, "sw7-M2", "FOC0008", 101), (3, "sw7-M3", "", 100),
                                        (4, "sw7-M4", "FOC0010", 102)]
    for planned in vc["members"]:
        payload = planned["payload"]
        assert "custom_fields" not in payload  # members are not LibreNMS devices
        assert (payload["site"], payload["role"], payload["platform"], payload["rack"], payload["status"]) == (
            10, 300, 200, 400, "active")
        assert payload["comments"] == COMMENT.format(7)


def test_master_at_another_position_keeps_its_member_name():
    members = [member(1, "FOC0001"), member(2, "FOC0007", is_master=True)]
    create = build_plan([state(virtual_chassis={"kind": "stack", "members": members, "master_position": 2})],
                        context())["creates"][0]
    assert create["name"] == "sw7-M2"
    assert create["virtual_chassis"]["master_position"] == 2
    assert [m["payload"]["name"] for m in create["virtual_chassis"]["members"]] == ["sw7-M1"]
    assert vc_domain("default", 7) == create["virtual_chassis"]["domain"]


def test_member_whose_serial_or_name_is_in_netbox_is_skipped_with_a_warning():
    taken = [{"id": 50, "name": "other", "serial": "FOC0008", "url": "u"},
             {"id": 51, "name": "SW7-M4", "serial": "", "url": "u"}]
    vc = build_plan([stack_state()], context(devices=taken))["creates"][0]["virtual_chassis"]
    assert [m["position"] for m in vc["members"]] == [3]
    assert vc["warnings"] == [
        "member 2 of 'sw7' not created: serial FOC0008 already in NetBox",
        "member 4 of 'sw7' not created: name 'sw7-M4' already in NetBox",
    ]


def test_without_virtual_chassis_the_master_is_imported_alone_and_unrenamed():
    create = build_plan([stack_state()], context(create_virtual_chassis=False))["creates"][0]
    assert (create["name"], create["payload"]["name"], create["virtual_chassis"]) == ("sw7", "sw7", None)


def test_states_are_not_modified():
    states = [stack_state(), state(8)]
    before = copy.deepcopy(states)
    build_plan(states, context())
    assert states == before


# ------------------------------------------------------------------------------------------------------------
# updates


def netbox_device(**changes):
    base = {"id": 99, "name": "sw7", "serial": "FOC0007", "url": "https://nb/api/dcim/devices/99/",
            "status": {"value": "active", "label": "Active"}, "platform": {"id": 200}, "device_type": {"id": 100},
            "custom_fields": {"librenms_id": {"default": 7}}}
    base.update(changes)
    return base


def update_plan(current, exists_state=None, **ctx):
    exists_state = exists_state or state(status="exists", existing=existing())
    return build_plan([exists_state], context(devices=[current], update_existing=True, **ctx))


def test_existing_device_in_line_is_skipped_even_with_update_existing():
    plan = update_plan(netbox_device())
    assert plan["creates"] == [] and plan["updates"] == []
    assert plan["skips"] == [{"device_id": 7, "name": "sw7", "status": "exists",
                              "reason": "already in NetBox as device 'sw7' (matched by librenms_id)",
                              "netbox_id": 99, "url": "https://nb/api/dcim/devices/99/"}]


def test_update_lists_each_changed_field_with_before_and_after():
    current = netbox_device(serial="", status={"value": "planned"}, platform=None, device_type={"id": 101})
    update = update_plan(current)["updates"][0]
    assert update["changes"] == {
        "status": {"before": "planned", "after": "active"},
        "platform": {"before": None, "after": 200},
        "serial": {"before": "", "after": "FOC0007"},
        "device_type": {"before": 101, "after": 100},
    }
    assert update["payload"] == {"id": 99, "status": "active", "platform": 200, "serial": "FOC0007",
                                 "device_type": 100}
    assert (update["netbox_id"], update["name"], update["kind"], update["url"]) == (
        99, "sw7", "device", "https://nb/api/dcim/devices/99/")


def test_librenms_id_of_another_server_is_kept_when_merging():
    update = update_plan(netbox_device(custom_fields={"librenms_id": {"lab": 3}}))["updates"][0]
    assert update["changes"] == {"librenms_id": {"before": {"lab": 3}, "after": {"lab": 3, "default": 7}}}
    assert update["payload"] == {"id": 99, "custom_fields": {"librenms_id": {"lab": 3, "default": 7}}}


@pytest.mark.parametrize("legacy", [7, None])
def test_legacy_integer_or_missing_librenms_id_becomes_a_mapping(legacy):
    update = update_plan(netbox_device(custom_fields={"librenms_id": legacy}))["updates"][0]
    assert update["changes"] == {"librenms_id": {"before": legacy, "after": {"default": 7}}}


def test_no_librenms_id_change_without_the_custom_field():
    assert update_plan(netbox_device(custom_fields={}), custom_field_kinds=set())["updates"] == []


def test_what_librenms_does_not_know_is_not_cleared():
    current = netbox_device(serial="NB-ONLY", platform={"id": 201}, device_type={"id": 101})
    unknown = state(status="exists", existing=existing(), serial=None, platform=None, device_type=None)
    assert update_plan(current, unknown)["updates"] == []


def test_vm_update_looks_at_status_platform_and_librenms_id_only():
    vm = {"id": 5, "name": "app11", "url": "u", "status": {"value": "active"}, "platform": None,
          "serial": "", "custom_fields": {"librenms_id": 11}}
    vm_state = state(11, status="exists", import_as="vm", existing=existing(5, "app11", kind="vm"),
                     serial="VMware-42", device_type=TYPE)
    plan = build_plan([vm_state], context(vms=[vm], update_existing=True))
    assert plan["updates"][0]["changes"] == {"platform": {"before": None, "after": 200},
                                             "librenms_id": {"before": 11, "after": {"default": 11}}}
    assert plan["updates"][0]["kind"] == "vm"


def test_without_update_existing_an_outdated_device_is_skipped():
    current = netbox_device(serial="OLD")
    plan = build_plan([state(status="exists", existing=existing())], context(devices=[current]))
    assert plan["updates"] == [] and plan["skips"][0]["status"] == "exists"


def test_migrate_legacy_ids_rewrites_only_the_bare_id_without_update_existing():
    current = netbox_device(serial="OLD", custom_fields={"librenms_id": 7})
    exists = state(status="exists", existing=existing(match="legacy_id"))
    plan = build_plan([exists], context(devices=[current], server_key="lab", migrate_legacy_ids=True))
    (update,) = plan["updates"]
    assert update["changes"] == {"librenms_id": {"before": 7, "after": {"lab": 7}}}
    assert update["payload"] == {"id": 99, "custom_fields": {"librenms_id": {"lab": 7}}}
    assert plan_diff(plan)[0]["after"] == {"librenms_id": {"lab": 7}}
    # once rewritten, nothing more to do
    migrated = netbox_device(serial="OLD", custom_fields={"librenms_id": {"lab": 7}})
    again = build_plan([exists], context(devices=[migrated], server_key="lab", migrate_legacy_ids=True))
    assert again["updates"] == [] and again["skips"][0]["status"] == "exists"
    # without the option, nothing is written
    assert build_plan([exists], context(devices=[current], server_key="lab"))["updates"] == []


# ------------------------------------------------------------------------------------------------------------
# completions: a stack master a past run created without its chassis

def lone_master(**changes):
    base = {"id": 99, "name": "sw7-M1", "serial": "FOC0007", "url": "u", "virtual_chassis": None,
            "status": {"value": "active"}, "platform": 200, "device_type": 100, "custom_fields": {}}
    base.update(changes)
    return base


def test_lone_master_of_a_detected_stack_gets_its_chassis_and_members():
    master = lone_master()
    plan = build_plan([stack_state(status="exists", existing=existing(name="sw7-M1"))], context(devices=[master]))
    assert plan["creates"] == [] and plan["skips"] == [] and plan["updates"] == []
    (completion,) = plan["completions"]
    assert (completion["name"], completion["netbox_id"]) == ("sw7-M1", 99)
    vc = completion["virtual_chassis"]
    assert (vc["name"], vc["domain"], vc["master_position"]) == ("sw7", "librenms-default-7", 1)
    assert [m["payload"]["name"] for m in vc["members"]] == ["sw7-M2", "sw7-M3", "sw7-M4"]
    assert plan_diff(plan) == [{
        "before": {"virtual_chassis": None},
        "after": {"virtual_chassis": {"name": "sw7", "domain": "librenms-default-7",
                                      "members": ["sw7-M2", "sw7-M3", "sw7-M4"]}},
        "before_header": "device sw7-M1 (NetBox 99)", "after_header": "device sw7-M1 (LibreNMS 7)",
    }]


def test_a_chassis_netbox_holds_with_the_domain_is_reused_and_its_empty_duplicates_removed():
    """The state a NetBox outage left: a chassis whose master never joined, and (older versions) a second one."""
    master = lone_master()
    found = [{"id": 51, "name": "sw7", "domain": "librenms-default-7", "master": None, "member_count": 0},
             {"id": 52, "name": "sw7", "domain": "librenms-default-7", "master": None, "member_count": 0},
             {"id": 60, "name": "sw8", "domain": "librenms-default-8", "master": {"id": 3}, "member_count": 2}]
    plan = build_plan([stack_state(status="exists", existing=existing(name="sw7-M1"))],
                      context(devices=[master], chassis=chassis_by_domain(found)))
    (completion,) = plan["completions"]
    assert completion["virtual_chassis"]["existing_id"] == 51  # the oldest, none having a master or members
    assert plan["removals"] == [{"device_id": 7, "domain": "librenms-default-7",
                                 "chassis": [{"id": 52, "name": "sw7"}]}]
    # a new stack reuses the chassis its domain already has, and creates one when there is none
    fresh = build_plan([stack_state()], context(chassis=chassis_by_domain(found)))
    assert fresh["creates"][0]["virtual_chassis"]["existing_id"] == 51
    assert build_plan([stack_state()], context())["creates"][0]["virtual_chassis"]["existing_id"] is None


def test_a_master_alone_in_the_chassis_of_its_domain_gets_its_members():
    """The state a NetBox outage left after the master joined its chassis, before the members were created."""
    master = lone_master(virtual_chassis={"id": 51, "name": "sw7"}, vc_position=1)
    found = [{"id": 51, "name": "sw7", "domain": "librenms-default-7", "master": {"id": 99}, "member_count": 1}]
    plan = build_plan([stack_state(status="exists", existing=existing(name="sw7-M1"))],
                      context(devices=[master], chassis=chassis_by_domain(found)))
    (completion,) = plan["completions"]
    assert completion["virtual_chassis"]["existing_id"] == 51 and plan["removals"] == []
    assert [m["payload"]["name"] for m in completion["virtual_chassis"]["members"]] == ["sw7-M2", "sw7-M3", "sw7-M4"]
    # with its members there, or in a chassis of another domain, nothing is done
    for count, domain in ((4, "librenms-default-7"), (1, "made-by-a-person")):
        other = [dict(found[0], member_count=count, domain=domain)]
        again = build_plan([stack_state(status="exists", existing=existing(name="sw7-M1"))],
                           context(devices=[master], chassis=chassis_by_domain(other)))
        assert again["completions"] == [], (count, domain)


@pytest.mark.parametrize("master, changes, why", [
    (lone_master(virtual_chassis={"id": 5}), {}, "already in a chassis"),
    (lone_master(name="sw7"), {}, "never renamed: imported without a chassis"),
    (lone_master(name="core-renamed"), {}, "renamed by a person, not by an import"),
    (lone_master(), {"issues": ["no role"]}, "members could not be written"),
])
def test_no_completion(master, changes, why):
    states = [stack_state(status="exists", existing=existing(name=master["name"]), **changes)]
    plan = build_plan(states, context(devices=[master]))
    assert plan["completions"] == [], why
    assert [skip["device_id"] for skip in plan["skips"]] == [7]


def test_no_completion_without_create_virtual_chassis_or_without_a_stack_in_librenms():
    plan = build_plan([stack_state(status="exists", existing=existing(name="sw7-M1"))],
                      context(devices=[lone_master()], create_virtual_chassis=False))
    assert plan["completions"] == []
    plan = build_plan([state(status="exists", existing=existing(name="sw7-M1"))], context(devices=[lone_master()]))
    assert plan["completions"] == []


def test_inventory_is_wanted_only_for_a_renamed_device_alone_or_alone_in_its_chassis():
    ready = state(status="exists", existing=existing(name="sw7-M1"))
    assert may_be_unfinished_chassis(ready, lone_master())
    assert not may_be_unfinished_chassis(ready, lone_master(name="SW7"))
    assert not may_be_unfinished_chassis(ready, lone_master(virtual_chassis={"id": 5}))
    assert not may_be_unfinished_chassis(ready, lone_master(virtual_chassis={"id": 5}), chassis_size=3)
    assert may_be_unfinished_chassis(ready, lone_master(virtual_chassis={"id": 5}), chassis_size=1)
    assert not may_be_unfinished_chassis(state(), {})
    assert not may_be_unfinished_chassis(state(status="exists", existing=existing(kind="vm"), import_as="vm"),
                                         lone_master())


# ------------------------------------------------------------------------------------------------------------
# skips


def test_skips_carry_the_reason_of_their_status():
    states = [
        state(1, status="blocked", issues=["no site", "no type"]),
        state(2, status="needs_review", review=["no role: set role"]),
        state(3, status="conflict", existing=existing(40, "x", match="serial", conflict="serial FOC is taken")),
        state(4, status="exists", existing=existing(41, "sw4", kind="vm", match="name")),
        state(5, status="blocked"),
    ]
    plan = build_plan(states, context())
    assert plan["creates"] == [] and plan["updates"] == []
    assert [(s["device_id"], s["status"], s["reason"], s["netbox_id"]) for s in plan["skips"]] == [
        (1, "blocked", "no site; no type", None),
        (2, "needs_review", "no role: set role", None),
        (3, "conflict", "serial FOC is taken", 40),
        (4, "exists", "already in NetBox as vm 'sw4' (matched by name)", 41),
        (5, "blocked", "not ready", None),
    ]


# ------------------------------------------------------------------------------------------------------------
# plan_diff


def test_diff_of_creates_and_updates():
    current = netbox_device(serial="OLD")
    states = [stack_state(device_id=7, name="sw7"), state(8, status="exists", existing=existing(99, "sw8"))]
    plan = build_plan(states, context(devices=[dict(current, name="sw8")], update_existing=True))
    create_diff, update_diff = plan_diff(plan)
    assert create_diff["before"] == {}
    assert create_diff["after"]["name"] == "sw7-M1"
    assert create_diff["after"]["virtual_chassis"] == {"name": "sw7", "domain": "librenms-default-7",
                                                       "members": ["sw7-M2", "sw7-M3", "sw7-M4"]}
    assert (create_diff["before_header"], create_diff["after_header"]) == (
        "device sw7-M1 (absent)", "device sw7-M1 (LibreNMS 7)")
    assert update_diff["before"] == {"serial": "OLD", "librenms_id": {"default": 7}}
    assert update_diff["after"] == {"serial": "FOC0008", "librenms_id": {"default": 8}}
    assert (update_diff["before_header"], update_diff["after_header"]) == (
        "device sw8 (NetBox 99)", "device sw8 (LibreNMS 8)")
    assert plan_diff({"creates": [], "completions": [], "updates": [], "skips": []}) == []


# ------------------------------------------------------------------------------------------------------------
# run_import's own checks, before any connection


@pytest.mark.parametrize(("params", "message"), [
    ({"all_devices": True, "batch_size": 0}, "batch_size must be at least 1 (objects), got 0"),  # 0 is not "unset"
    ({"all_devices": True, "batch_size": -5}, "batch_size must be at least 1 (objects), got -5"),
    ({"devices": [1], "all_devices": True}, "give either devices or filters/all_devices, not both"),
    ({}, "nothing to import: give devices, filters or all_devices: true"),
])
def test_run_import_refuses_bad_input_before_connecting(params, message):
    with pytest.raises(LibrenmsSyncError) as raised:
        run_import(params)
    assert raised.value.msg == message


@pytest.mark.parametrize(("devices", "message"), [
    ([{"device_id": "abc"}], "devices: a row has device_id 'abc', which is not a LibreNMS device id (a whole number)"),
    ([1, {"device_id": 2.5}], "devices: a row has device_id '2.5', which is not a LibreNMS device id"),
    ([{"device_id": True}], "devices: a row has device_id 'True', which is not a LibreNMS device id"),
    ([{"device_id": [1]}], "devices: a row has device_id '[1]', which is not a LibreNMS device id"),
    ([["a"]], "devices entries must be LibreNMS ids, hostnames or search rows, got ['a']"),
])
def test_a_bad_devices_entry_is_named_in_one_line_before_connecting(devices, message):
    with pytest.raises(LibrenmsSyncError) as raised:
        run_import({"devices": devices})
    assert raised.value.msg.startswith(message)
    assert "\n" not in raised.value.msg


def test_a_huge_bad_devices_entry_is_cut_in_the_message():
    with pytest.raises(LibrenmsSyncError) as raised:
        run_import({"devices": [{"device_id": "x" * 100000}]})
    assert len(raised.value.msg) < 300
