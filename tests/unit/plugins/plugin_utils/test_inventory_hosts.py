# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How devices become hosts: names, host variables, groups, memberships, NetBox variables, unsafe marking."""

from __future__ import annotations

import json

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import (
    SECRET_FIELDS,
    normalize_device,
)
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils import _inventory_hosts as inventory_hosts
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils._inventory_hosts import (
    DEFAULT_GROUP_BY,
    assign_hostnames,
    build_hostvars,
    check_source_keys,
    clash_warning,
    device_group_memberships,
    group_names,
    int_keys,
    make_unsafe,
    netbox_hostvars,
)

from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.estate import build_estate


def device(device_id=12, hostname="sw1.paris.example.net", sysname="sw1", **fields):
    row = {"device_id": device_id, "hostname": hostname, "sysName": sysname, "os": "ios", "type": "network",
           "hardware": "WS-C2960X-48FPD-L", "location": "Paris DC1", "serial": f"FOC{device_id}",
           "ip": f"10.0.0.{device_id}", "status": 1, "community": "public-SIMSECRET", "authpass": "x"}
    row.update(fields)
    return normalize_device(row)


@pytest.fixture(scope="module")
def estate_devices():
    return [normalize_device(row) for row in build_estate(seed=42, size=60).devices]


# -- inventory names -----------------------------------------------------------------------------------------

def test_names_follow_the_naming_options():
    devices = [device(1, "core1.example.net", "core1"), device(2, "10.1.1.2", ""), device(3, "edge.example.net", None)]
    assert assign_hostnames(devices) == (["core1", "10.1.1.2", "edge.example.net"], [])
    assert assign_hostnames(devices, use_sysname=False)[0] == ["core1.example.net", "10.1.1.2", "edge.example.net"]
    # strip_domain never cuts an IP address.
    assert assign_hostnames(devices, use_sysname=False, strip_domain=True)[0] == ["core1", "10.1.1.2", "edge"]


def test_a_shared_name_stays_with_the_lowest_device_id_whatever_the_order():
    devices = [device(16, "b.example.net", "switch"), device(15, "a.example.net", "switch"), device(9, "c", "other")]
    names, clashes = assign_hostnames(devices)
    assert names == ["switch_16", "switch", "other"]
    assert clashes == [("switch", [15, 16])]
    assert assign_hostnames(list(reversed(devices)))[0] == ["other", "switch", "switch_16"]


def test_a_suffixed_name_never_takes_the_name_of_another_device():
    devices = [device(1, "a", "sw"), device(2, "b", "sw"), device(3, "c", "sw_2")]
    names, clashes = assign_hostnames(devices)
    assert names == ["sw", "sw_2_2", "sw_2"]
    assert len(set(names)) == 3
    assert clashes == [("sw", [1, 2])]


def test_clash_warning_names_each_device_and_its_new_name():
    text = clash_warning([("switch", [15, 16, 40])], {15: "switch", 16: "switch_16", 40: "switch_40"})
    assert "'switch' (devices 15, 16, 40: 16 as 'switch_16', 40 as 'switch_40')" in text
    many = clash_warning([(f"n{i}", [i, i + 100]) for i in range(8)], {}, limit=2)
    assert many.startswith("8 inventory names") and many.endswith("and 6 more")


# -- host variables ------------------------------------------------------------------------------------------

def test_every_canonical_field_becomes_a_librenms_hostvar_and_no_secret_does():
    dev = device()
    hostvars = build_hostvars(dev)
    assert {key for key in hostvars if key.startswith("librenms_")} == {f"librenms_{key}" for key in dev}
    assert hostvars["librenms_device_id"] == 12
    assert hostvars["librenms_os"] == "ios"
    assert hostvars["ansible_host"] == "10.0.0.12"
    # Even a device dict that still carries secrets (it should not) never hands them on.
    leaky = dict(dev, community="public-SIMSECRET", authpass="SIMSECRET", cryptoalgo="AES")
    assert not {f"librenms_{field}" for field in SECRET_FIELDS} & set(build_hostvars(leaky))
    assert SECRET_MARKER not in json.dumps(build_hostvars(leaky))


def test_ansible_host_is_the_ip_else_the_hostname():
    assert build_hostvars(device(ip=""))["ansible_host"] == "sw1.paris.example.net"
    assert build_hostvars(device(ip=None, hostname="10.9.9.9"))["ansible_host"] == "10.9.9.9"


def test_device_groups_and_netbox_variables_are_added_when_given():
    hostvars = build_hostvars(device(), {12: ["London"]}, {12: {"netbox_device_id": 5, "netbox_site": "LON1"}})
    assert hostvars["librenms_device_groups"] == ["London"]
    assert hostvars["netbox_device_id"] == 5
    assert hostvars["netbox_site"] == "LON1"
    plain = build_hostvars(device(), {}, {})
    assert plain["librenms_device_groups"] == []
    assert "netbox_device_id" not in plain


def test_the_whole_simulated_estate_gives_no_secret(estate_devices):
    text = json.dumps([build_hostvars(dev) for dev in estate_devices])
    assert SECRET_MARKER not in text
    assert '"librenms_community"' not in text


# -- groups --------------------------------------------------------------------------------------------------

def test_group_by_default_is_location_os_type():
    assert group_names(device(), DEFAULT_GROUP_BY) == ["location_Paris DC1", "os_ios", "type_network"]


def test_group_by_status_hardware_and_device_groups():
    up, down = device(1), device(2, status=0)
    memberships = {1: ["All Firewalls", "London"]}
    keys = ["status", "hardware", "device_groups"]
    assert group_names(up, keys, memberships) == [
        "status_up", "hardware_WS-C2960X-48FPD-L", "device_group_All Firewalls", "device_group_London"]
    assert group_names(down, keys, memberships) == ["status_down", "hardware_WS-C2960X-48FPD-L"]


def test_empty_values_make_no_group():
    keys = ["location", "hardware", "type", "os"]
    assert group_names(device(location=None, hardware="", type=""), keys) == ["os_ios"]


def test_memberships_from_group_rows_old_and_new():
    pairs = [("London", [{"device_id": 3}, {"device_id": "1"}, {"device_id": 3}]),
             ("All Firewalls", [{"device_id": 1}, {"id": 9}, "junk"]),
             ("Decommissioned", [])]
    assert device_group_memberships(pairs) == {1: ["All Firewalls", "London"], 3: ["London"]}


# -- NetBox variables ----------------------------------------------------------------------------------------

def nb_device(obj_id, name, serial="", librenms_id=None, site="LON1", display_url=True):
    obj = {"id": obj_id, "name": name, "serial": serial, "url": f"https://nb/api/dcim/devices/{obj_id}/",
           "site": {"id": 1, "name": site, "slug": site.lower()}, "custom_fields": {"librenms_id": librenms_id}}
    if display_url:
        obj["display_url"] = f"https://nb/dcim/devices/{obj_id}/"
    return obj


def test_netbox_variables_for_devices_found_by_id_or_name_only():
    devices = [device(1, "a", "sw-a"), device(2, "b", "sw-b"), device(3, "c", "sw-c"), device(4, "d", "sw-d")]
    listed = [
        nb_device(10, "renamed", librenms_id={"lab": 1}),
        nb_device(11, "sw-b", site="PAR1", display_url=False),
        # Same name as device 3 but another serial: not the same device, so nothing is added.
        nb_device(12, "sw-c", serial="OTHER"),
    ]
    found = netbox_hostvars(devices, ["sw-a", "sw-b", "sw-c", "sw-d"], listed, server_key="lab")
    assert found == {
        1: {"netbox_device_id": 10, "netbox_url": "https://nb/dcim/devices/10/", "netbox_site": "LON1"},
        2: {"netbox_device_id": 11, "netbox_url": "https://nb/dcim/devices/11/", "netbox_site": "PAR1"},
    }


# -- cache round trip, unsafe marking -----------------------------------------------------------------------

def test_int_keys_undo_the_json_round_trip():
    assert int_keys(json.loads(json.dumps({1: ["a"], 22: ["b"]}))) == {1: ["a"], 22: ["b"]}
    assert int_keys(None) is None


@pytest.mark.parametrize("walk", [False, True], ids=["as-ansible-core-2.19+", "as-before-2.19"])
def test_make_unsafe_keeps_data_and_templates_stay_text(monkeypatch, walk):
    monkeypatch.setattr(inventory_hosts, "TEXT_IS_UNSAFE_UNLESS_TRUSTED", not walk)
    hostvars = {"librenms_notes": "{{ lookup('pipe', 'id') }}", "librenms_os": "ios", "librenms_uptime": 5,
                "librenms_device_groups": ["{% raw %}x", "London"], "librenms_display": None}
    result = make_unsafe(dict(hostvars))
    assert result == hostvars
    templar = Templar(loader=DataLoader())
    assert templar.template(result["librenms_notes"]) == "{{ lookup('pipe', 'id') }}"
    assert templar.template(result["librenms_device_groups"][0]) == "{% raw %}x"


def test_the_reason_make_unsafe_may_skip_its_walk_still_holds():
    """If an ansible-core release templated text parsed from JSON again, the 2.19+ shortcut would be unsafe."""
    if not inventory_hosts.TEXT_IS_UNSAFE_UNLESS_TRUSTED:
        pytest.skip("before ansible-core 2.19 make_unsafe wraps every template")
    parsed = json.loads(json.dumps({"notes": "{{ 6 * 7 }}", "groups": ["{{ 6 * 7 }}"]}))
    templar = Templar(loader=DataLoader())
    assert templar.template(parsed) == {"notes": "{{ 6 * 7 }}", "groups": ["{{ 6 * 7 }}"]}


def test_an_unknown_source_key_is_refused_with_the_closest_option():
    known = ["plugin", "filters", "group_by", "show_disabled"]
    check_source_keys({"plugin": "netbox_librenms.sync.librenms", "filters": {}}, known)
    with pytest.raises(LibrenmsSyncError) as raised:
        check_source_keys({"plugin": "x", "filter": {}, "colour": "red"}, known)
    assert raised.value.msg == ("unknown key 'colour', 'filter' (did you mean 'filters'?); this plugin's options are: "
                                "filters, group_by, plugin, show_disabled")
