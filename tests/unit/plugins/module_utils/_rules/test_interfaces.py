"""Interface rules: type table, name, fields, filter, matching and the field diff."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules import interfaces as rules


def port(**fields):
    row = {"port_id": 7, "device_id": 1, "ifName": "Gi1/0/1", "ifDescr": "GigabitEthernet1/0/1", "ifAlias": "",
           "ifType": "ethernetCsmacd", "speed_kbps": 1_000_000, "mtu": 1500, "enabled": True, "mac": None,
           "deleted": False, "disabled": False, "ignored": False}
    row.update(fields)
    return row


@pytest.mark.parametrize("if_type, speed, expected", [
    ("ethernetCsmacd", 1_000_000, "1000base-t"),
    ("ethernetCsmacd", None, "1000base-t"),
    ("ethernetCsmacd", 10_000_000, "10gbase-x-sfpp"),
    ("ethernetCsmacd", 25_000_000, "25gbase-x-sfp28"),
    ("ethernetCsmacd", 40_000_000, "40gbase-x-qsfpp"),
    ("ethernetCsmacd", 100_000_000, "100gbase-x-qsfp28"),
    ("ieee8023adLag", 20_000_000, "lag"),
    ("softwareLoopback", None, "virtual"),
    ("propVirtual", None, "virtual"),
    ("l2vlan", None, "virtual"),
    ("tunnel", None, "virtual"),
    ("fibreChannel", 8_000_000, "other"),
])
def test_builtin_type_table(if_type, speed, expected):
    assert rules.interface_type(if_type, speed) == expected


def test_type_map_overrides_by_speed_and_plainly():
    type_map = {"ethernetCsmacd": {1_000_000: "1000base-x-sfp", "10000000": "10gbase-x-sfpp"}, "tunnel": "other"}
    assert rules.interface_type("ethernetCsmacd", 1_000_000, type_map) == "1000base-x-sfp"
    assert rules.interface_type("ethernetCsmacd", 40_000_000, type_map) == "10gbase-x-sfpp"
    assert rules.interface_type("ethernetCsmacd", 100_000, type_map) == "1000base-t"  # below every map speed
    assert rules.interface_type("tunnel", None, type_map) == "other"


def test_type_map_bad_speed_names_the_option():
    with pytest.raises(LibrenmsSyncError, match=r"interface_type_map\.ethernetCsmacd"):
        rules.interface_type("ethernetCsmacd", 1, {"ethernetCsmacd": {"fast": "x"}})


def test_name_from_ifname_or_ifdescr():
    assert rules.interface_name(port()) == "Gi1/0/1"
    assert rules.interface_name(port(), "ifDescr") == "GigabitEthernet1/0/1"
    assert rules.interface_name(port(ifName="")) == "GigabitEthernet1/0/1"


def test_skip_states_and_filter():
    no_filter = rules.compile_filter({})
    assert rules.skip_reason(port(), "Gi1/0/1", no_filter) is None
    assert rules.skip_reason(port(disabled=True), "Gi1/0/1", no_filter) == "disabled in LibreNMS"
    assert rules.skip_reason(port(ignored=True), "Gi1/0/1", no_filter) == "ignored in LibreNMS"
    assert rules.skip_reason(port(deleted=True), "Gi1/0/1", no_filter) == "deleted in LibreNMS"
    assert rules.skip_reason(port(ignored=True), "Gi1/0/1", no_filter, ["deleted"]) is None
    name_filter = rules.compile_filter({"include": ["^Gi"], "exclude": ["/48$"]})
    assert rules.skip_reason(port(), "Gi1/0/1", name_filter) is None
    assert "include" in rules.skip_reason(port(), "Vlan1", name_filter)
    assert "exclude" in rules.skip_reason(port(), "Gi1/0/48", name_filter)


def test_bad_filter_regex_names_the_option():
    with pytest.raises(LibrenmsSyncError, match=r"interface_filter\.include"):
        rules.compile_filter({"include": ["("]})


def test_desired_fields_description_unless_the_name_and_excludes():
    fields = rules.desired_fields(port(ifAlias="Gi1/0/1"), "Gi1/0/1", "default", {})
    assert fields == {"name": "Gi1/0/1", "enabled": True, "mtu": 1500, "description": "", "librenms_id": 7,
                      "type": "1000base-t", "speed": 1_000_000}
    fields = rules.desired_fields(port(ifAlias="uplink", enabled=False), "Gi1/0/1", "default", {},
                                  exclude=["type", "mtu"])
    assert fields["description"] == "uplink" and fields["enabled"] is False
    assert fields["type"] == "other" and "mtu" not in fields
    vm_fields = rules.desired_fields(port(), "eth0", "default", {}, vm=True)
    assert "type" not in vm_fields and "speed" not in vm_fields


def test_field_changes_keep_other_servers_and_read_choice_values():
    desired = rules.desired_fields(port(), "Gi1/0/1", "lab", {})
    current = {"id": 3, "name": "Gi1/0/1", "type": {"value": "1000base-t"}, "enabled": True, "mtu": 1500,
               "description": "", "speed": 1_000_000, "custom_fields": {"librenms_id": {"prod": 99}}}
    changes = rules.field_changes(desired, current, "lab")
    assert changes == {"librenms_id": {"before": {"prod": 99}, "after": {"prod": 99, "lab": 7}}}
    current["custom_fields"] = {"librenms_id": {"prod": 99, "lab": 7}}
    assert rules.field_changes(desired, current, "lab") == {}
    current["mtu"] = 9000
    assert rules.update_payload(rules.field_changes(desired, current, "lab")) == {"mtu": 1500}


def test_legacy_bare_int_counts_for_the_default_server_only():
    assert rules.port_link(7, "default") == 7
    assert rules.port_link(7, "lab") is None
    assert rules.port_link({"lab": "7"}, "lab") == 7


def test_create_payload_and_match():
    desired = rules.desired_fields(port(), "Gi1/0/1", "default", {})
    payload = rules.create_payload(desired, "default")
    assert payload["custom_fields"] == {"librenms_id": {"default": 7}} and "librenms_id" not in payload
    by_port = {7: {"id": 1}}
    by_name = {(5, "Gi1/0/1"): {"id": 2}}
    assert rules.match_interface(7, (5, "Gi1/0/1"), by_port, by_name) == {"id": 1}
    assert rules.match_interface(8, (5, "Gi1/0/1"), by_port, by_name) == {"id": 2}
    assert rules.match_interface(8, (6, "Gi1/0/1"), by_port, by_name) is None
