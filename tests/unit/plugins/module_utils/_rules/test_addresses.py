"""Address rules: VRF, link-local, conflicts, primary IP."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules import addresses as rules


def row(address="10.0.0.1/24", context="", link_local=False, family=4):
    return {"port_id": 1, "address": address, "family": family, "context_name": context, "link_local": link_local}


def test_vrf_map_by_name_or_rd_and_unknown_fails():
    vrfs = [{"id": 3, "name": "MGMT", "rd": "65000:1"}, {"id": 4, "name": "CUST", "rd": None}]
    assert rules.resolve_vrf_map({"mgmt": "MGMT", "c": "65000:1"}, vrfs) == {"mgmt": 3, "c": 3}
    with pytest.raises(LibrenmsSyncError, match=r"vrf_map\.x"):
        rules.resolve_vrf_map({"x": "NOPE"}, vrfs)


def test_wanted_address_vrf_and_link_local():
    wanted, reason = rules.wanted_address(row(context="mgmt"), {"mgmt": 3}, False)
    assert wanted == {"address": "10.0.0.1/24", "host": "10.0.0.1", "family": 4, "vrf": 3} and reason is None
    assert rules.wanted_address(row(context="other"), {"mgmt": 3}, False)[0]["vrf"] is None
    link_local = row("fe80::1/64", link_local=True, family=6)
    assert rules.wanted_address(link_local, {}, False)[0] is None
    assert rules.wanted_address(link_local, {}, True)[0]["host"] == "fe80::1"


def test_index_by_host_and_vrf_whatever_the_mask():
    index = rules.index_existing([{"id": 1, "address": "10.0.0.1/32", "vrf": None},
                                  {"id": 2, "address": "10.0.0.1/24", "vrf": {"id": 3}}])
    assert index[("10.0.0.1", None)]["id"] == 1 and index[("10.0.0.1", 3)]["id"] == 2


def test_address_actions():
    wanted = {"address": "10.0.0.1/24", "host": "10.0.0.1", "family": 4, "vrf": None}
    assert rules.address_action(wanted, None, "dcim.interface", 5, False) == ("create", {})
    mine = {"id": 1, "address": "10.0.0.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": 5}
    assert rules.address_action(wanted, mine, "dcim.interface", 5, False) == ("unchanged", {})
    other = dict(mine, assigned_object_id=9)
    action, details = rules.address_action(wanted, other, "dcim.interface", 5, False)
    assert action == "conflict" and "reassign_ips" in details["reason"]
    action, details = rules.address_action(wanted, other, "dcim.interface", 5, True)
    assert action == "update" and details["assigned_object_id"] == {"before": 9, "after": 5}
    loose = dict(mine, assigned_object_type=None, assigned_object_id=None, address="10.0.0.1/32")
    action, details = rules.address_action(wanted, loose, "dcim.interface", 5, False)
    assert action == "update" and details["address"]["after"] == "10.0.0.1/24"


def test_management_host_and_primary_action():
    assert rules.management_host({"ip": "10.0.0.1", "hostname": "sw1"}) == "10.0.0.1"
    assert rules.management_host({"ip": None, "hostname": "2001:db8::1"}) == "2001:db8::1"
    assert rules.management_host({"ip": "", "hostname": "sw1"}) is None
    assert rules.primary_action(None, 4, False) == "set"
    assert rules.primary_action(4, 4, False) == "unchanged"
    assert rules.primary_action(3, 4, False) == "drift"
    assert rules.primary_action(3, 4, True) == "update"
