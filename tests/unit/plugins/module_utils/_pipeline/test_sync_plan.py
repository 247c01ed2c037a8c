"""The sync plan on hand-written normalised rows: placement, matching, references, conflicts, deletes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import Writer
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_apply import (
    apply_sync_plan,
    resolve,
    sync_diff,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan import (
    Ref,
    SyncPlan,
    index_interfaces,
    plan_interfaces,
    plan_macs,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan_links import (
    plan_addresses,
    plan_cables,
    plan_primary_ips,
    unresolved_links_warning,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_run import sync_settings
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.sync_targets import linked

MASTER = {"id": 1, "name": "sw1", "custom_fields": {"librenms_id": {"default": 10}}, "virtual_chassis": {"id": 5},
          "vc_position": 1, "primary_ip4": None}
MEMBER = {"id": 2, "name": "sw1-M2", "custom_fields": {}, "virtual_chassis": {"id": 5}, "vc_position": 2}
PEER = {"id": 3, "name": "r1", "custom_fields": {"librenms_id": {"default": 20}}, "virtual_chassis": None,
        "primary_ip4": {"id": 77}}


def port(port_id, name, device_id=10, **extra):
    row = {"port_id": port_id, "device_id": device_id, "ifName": name, "ifDescr": name, "ifAlias": "",
           "ifType": "ethernetCsmacd", "speed_kbps": 1_000_000, "mtu": 1500, "enabled": True,
           "mac": f"00:00:00:00:00:{port_id:02X}", "deleted": False, "disabled": False, "ignored": False}
    row.update(extra)
    return row


def existing_interface(id_, device, name, port_id=None, cable=None):
    return {"id": id_, "name": name, "device": {"id": device}, "type": {"value": "1000base-t"}, "enabled": True,
            "mtu": 1500, "speed": 1_000_000, "description": "", "cable": {"id": cable} if cable else None,
            "mgmt_only": False, "primary_mac_address": None,
            "custom_fields": {"librenms_id": {"default": port_id} if port_id else None}}


def build(interfaces, settings=None, ports=None):
    targets = linked([MASTER, MEMBER, PEER], [], "default")
    plan = SyncPlan(settings or sync_settings({"delete_missing": True}))
    components = {"interfaces": interfaces, "vm_interfaces": [], "mac_addresses": []}
    index = index_interfaces(components, "default")
    ports = ports or {10: [port(1, "Gi1/0/1"), port(2, "Gi2/0/1"), port(3, "Gi2/0/2", ignored=True)],
                      20: [port(21, "ge-0/0/0", 20)]}
    for target in targets:
        plan_interfaces(plan, target, ports.get(target["librenms_id"], []), index)
    plan_macs(plan, index)
    return plan, targets, index


def test_stack_ports_go_to_their_member_and_marked_ports_are_skipped():
    plan, _targets, _index = build([])
    created = {item["object"]: item["payload"]["device"] for item in plan.items["interfaces"]["create"]}
    assert created == {"Gi1/0/1": 1, "Gi2/0/1": 2, "ge-0/0/0": 3}
    assert plan.tally["sw1"]["interfaces"]["skipped"] == 1
    mac = plan.items["mac_addresses"]["create"][0]["payload"]
    assert mac["assigned_object_id"] == Ref(("port", 1))


def test_existing_interfaces_match_by_port_then_name_and_person_made_stays():
    interfaces = [existing_interface(100, 2, "renamed", port_id=2), existing_interface(101, 1, "Gi1/0/1"),
                  existing_interface(102, 1, "person-made"), existing_interface(103, 1, "gone", port_id=99)]
    plan, _targets, _index = build(interfaces)
    updates = {item["payload"]["id"]: item["payload"] for item in plan.items["interfaces"]["update"]}
    assert updates[100] == {"id": 100, "name": "Gi2/0/1"}
    assert updates[101]["custom_fields"] == {"librenms_id": {"default": 1}}
    deleted = [item["payload"]["id"] for item in plan.items["interfaces"]["delete"]]
    assert deleted == [103]


def test_check_mode_counts_what_a_real_run_writes_and_resolve_keeps_unwritten_refs():
    plan, _targets, _index = build([])
    assert apply_sync_plan(plan, api=None, write=Writer(10), check_mode=True) == []
    assert plan.tally["sw1"]["interfaces"]["created"] == 2
    assert plan.tally["sw1"]["mac_addresses"]["created"] == 2
    assert plan.tally["sw1"]["primary_macs"]["updated"] == 2
    assert resolve({"a": [Ref(("port", 1))]}, {Ref(("port", 1)): 5}) == {"a": [5]}
    assert resolve(Ref(("port", 9)), {}) == Ref(("port", 9))
    diff = sync_diff(plan)
    assert [entry["before_header"] for entry in diff] == ["r1", "sw1"]


def test_addresses_primary_ip_and_conflicts():
    plan, targets, _index = build([])
    addresses = [{"port_id": 1, "address": "10.0.0.1/24", "family": 4, "context_name": "", "link_local": False},
                 {"port_id": 2, "address": "10.0.0.1/24", "family": 4, "context_name": "", "link_local": False},
                 {"port_id": 21, "address": "10.0.9.1/24", "family": 4, "context_name": "", "link_local": False},
                 {"port_id": 1, "address": "fe80::1/64", "family": 6, "context_name": "", "link_local": True}]
    existing = [{"id": 77, "address": "10.0.9.1/24", "vrf": None, "assigned_object_type": "dcim.interface",
                 "assigned_object_id": 555}]
    plan_addresses(plan, addresses, existing)
    assert [item["object"] for item in plan.items["ip_addresses"]["create"]] == ["10.0.0.1/24 on Gi1/0/1"]
    reasons = [conflict["reason"] for conflict in plan.conflicts]
    assert any("twice" in reason for reason in reasons) and any("reassign_ips" in reason for reason in reasons)
    plan_primary_ips(plan, targets, {10: {"ip": "10.0.0.1"}, 20: {"ip": "10.0.9.1"}})
    primary = plan.items["primary_ips"]["update"]
    assert [(item["payload"]["id"], item["payload"]["primary_ip4"]) for item in primary] == [
        (1, Ref(("ip", ("10.0.0.1", None))))]
    assert any("r1" in warning for warning in plan.warnings)


def test_cables_one_per_link_never_rewired():
    interfaces = [existing_interface(200, 3, "ge-0/0/1", port_id=22, cable=9)]
    ports = {10: [port(1, "Gi1/0/1"), port(2, "Gi2/0/1")], 20: [port(21, "ge-0/0/0", 20), port(22, "ge-0/0/1", 20)]}
    plan, targets, index = build(interfaces, ports=ports)
    links = [
        {"local_port_id": 1, "local_device_id": 10, "remote_device_id": 20, "remote_port_id": 21,
         "remote_port": "ge-0/0/0", "remote_hostname": "r1", "protocol": "lldp"},
        {"local_port_id": 21, "local_device_id": 20, "remote_device_id": 10, "remote_port_id": 1,
         "remote_port": "Gi1/0/1", "remote_hostname": "sw1", "protocol": "lldp"},
        {"local_port_id": 2, "local_device_id": 10, "remote_device_id": 20, "remote_port_id": None,
         "remote_port": "ge-0/0/1", "remote_hostname": "r1", "protocol": "lldp"},
        {"local_port_id": 2, "local_device_id": 10, "remote_device_id": None, "remote_port_id": None,
         "remote_port": "eth0", "remote_hostname": "ap1", "protocol": "lldp"},
    ]
    plan_cables(plan, links, targets, index)
    assert [item["object"] for item in plan.items["cables"]["create"]] == ["sw1 Gi1/0/1 <> r1 ge-0/0/0"]
    assert any("already cabled elsewhere" in conflict["reason"] for conflict in plan.conflicts)
    assert plan.unresolved_links == [
        {"device": "sw1", "port": "Gi2/0/1", "reason": "neighbour ap1 is unknown to LibreNMS"}]


def test_a_link_to_the_second_of_two_ports_of_one_name_is_not_cabled_in_the_first_run_or_any_later_one():
    ports = {10: [port(1, "Gi1/0/1")], 20: [port(21, "1/1/25", 20), port(41, "1/1/25", 20)]}
    links = [{"local_port_id": 1, "local_device_id": 10, "remote_device_id": 20, "remote_port_id": 41,
              "remote_port": "1/1/25", "remote_hostname": "r1", "protocol": "lldp"}]
    outcomes = []
    for interfaces in ([], [existing_interface(100, 1, "Gi1/0/1", port_id=1),
                            existing_interface(300, 3, "1/1/25", port_id=21)]):
        plan, targets, index = build(interfaces, ports=ports)
        plan_cables(plan, links, targets, index)
        outcomes.append((plan.items["cables"]["create"], plan.unresolved_links))
    unresolved = [{"device": "sw1", "port": "Gi1/0/1", "reason": "r1 has no interface 1/1/25"}]
    assert outcomes[0] == outcomes[1] == ([], unresolved)


def test_uncabled_links_make_one_warning_with_the_first_three():
    assert unresolved_links_warning([]) == []
    links = [{"device": "sw1", "port": f"Gi1/0/{n}", "reason": f"neighbour phone{n} is unknown to LibreNMS"}
             for n in range(1, 6)]
    assert unresolved_links_warning(links) == [
        "5 link(s) not cabled (see unresolved_links): sw1 Gi1/0/1: neighbour phone1 is unknown to LibreNMS; "
        "sw1 Gi1/0/2: neighbour phone2 is unknown to LibreNMS; sw1 Gi1/0/3: neighbour phone3 is unknown to LibreNMS; "
        "and 2 more"]


def test_sync_settings_refuse_bad_options_naming_them():
    for options, named in (({"exclude_fields": ["colour"]}, "exclude_fields"),
                           ({"interface_name_field": "ifAlias"}, "interface_name_field"),
                           ({"interface_type_map": ["x"]}, "interface_type_map"),
                           ({"member_position_rules": [{"pattern": "x"}]}, "member_position_rules")):
        with pytest.raises(LibrenmsSyncError, match=named):
            sync_settings(options)


class FakeEndpoint:
    """Stands in for a pynetbox endpoint: create gives ids from 1000 on and records what it was sent."""

    def __init__(self, sent):
        self.sent = sent

    def create(self, body):
        self.sent.append(body)
        return [SimpleNamespace(id=1000 + len(self.sent) * 100 + index, url=None) for index in range(len(body))]

    def update(self, body):
        self.sent.append(body)
        return [SimpleNamespace(id=payload["id"], url=None) for payload in body]


def test_apply_resolves_refs_in_order_and_takes_macs_a_concurrent_run_wrote():
    plan, _targets, _index = build([])
    sent = []
    endpoint = FakeEndpoint(sent)
    api = SimpleNamespace(dcim=SimpleNamespace(interfaces=endpoint, mac_addresses=endpoint))

    def macs_on(object_type, ids):
        return [{"id": 77, "assigned_object_id": ids[0], "mac_address": "00:00:00:00:00:01"}]

    assert apply_sync_plan(plan, api, write=Writer(50), check_mode=False, macs_on=macs_on) == []
    interface_ids = [record["device"] for record in sent[0]]
    assert interface_ids == [1, 2, 3]
    assert sorted(mac["assigned_object_id"] for mac in sent[1]) == [1101, 1102]  # 1100 has its MAC already
    primaries = {payload["id"]: payload["primary_mac_address"] for payload in sent[2]}
    assert 77 in primaries.values()
    assert any(conflict["kind"] == "mac_addresses" for conflict in plan.conflicts)
