# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Port, address and link rows as LibreNMS sends them (reference: librenms-api.md "Ports, IP addresses, links")."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import (
    SYNC_PORT_COLUMNS,
    normalize_address,
    normalize_link,
    normalize_mac,
    normalize_port,
    strip_unresolved_suffix,
)

# doc/API/Ports.md, with the columns a sync asks for.
PORT_ROW = {
    "port_id": 323, "device_id": 55, "ifName": "Gi0/0/0", "ifDescr": "GigabitEthernet0/0/0",
    "ifAlias": "ASR Interconnect Trunk", "ifType": "ethernetCsmacd", "ifSpeed": 1000000000, "ifMtu": 1560,
    "ifAdminStatus": "up", "ifPhysAddress": "84bf20853e00", "deleted": 0, "disabled": 0, "ignore": 0,
}


def test_the_sync_columns_carry_what_normalize_port_reads():
    assert set(SYNC_PORT_COLUMNS) == set(PORT_ROW)
    assert " " not in ",".join(SYNC_PORT_COLUMNS)


def test_a_port_row():
    assert normalize_port(PORT_ROW) == {
        "port_id": 323, "device_id": 55, "ifName": "Gi0/0/0", "ifDescr": "GigabitEthernet0/0/0",
        "ifAlias": "ASR Interconnect Trunk", "ifType": "ethernetCsmacd", "speed_kbps": 1000000, "mtu": 1560,
        "enabled": True, "mac": "84:BF:20:85:3E:00", "deleted": False, "disabled": False, "ignored": False,
    }


@pytest.mark.parametrize("field, value, key, expected", [
    ("ifSpeed", 0, "speed_kbps", None),  # 0 = unknown
    ("ifSpeed", None, "speed_kbps", None),
    ("ifSpeed", 100000000000, "speed_kbps", 100000000),
    ("ifSpeed", "25000000000", "speed_kbps", 25000000),  # older servers send strings
    ("ifMtu", None, "mtu", None),
    ("ifMtu", 0, "mtu", None),
    ("ifMtu", "9216", "mtu", 9216),
    ("ifAdminStatus", "down", "enabled", False),
    ("ifAdminStatus", None, "enabled", None),
    ("ifAdminStatus", "testing", "enabled", None),
    ("ifAdminStatus", "UP", "enabled", True),
    ("ifPhysAddress", "", "mac", None),
    ("ifPhysAddress", None, "mac", None),
    ("ifPhysAddress", "000000000000", "mac", None),
    ("ifPhysAddress", "84bf20853e0", "mac", None),
    ("ifPhysAddress", "zzbf20853e00", "mac", None),
    ("ifAlias", None, "ifAlias", ""),
    ("ifDescr", None, "ifDescr", ""),
    ("deleted", 1, "deleted", True),
    ("disabled", "1", "disabled", True),
    ("ignore", 1, "ignored", True),
])
def test_port_quirks(field, value, key, expected):
    assert normalize_port({**PORT_ROW, field: value})[key] == expected


def test_a_port_row_with_only_the_default_columns_reads_as_unknowns():
    port = normalize_port({"port_id": "7", "device_id": "3", "ifName": "lo0"})
    assert port["port_id"] == 7 and port["device_id"] == 3 and port["ifName"] == "lo0"
    assert (port["speed_kbps"], port["mtu"], port["enabled"], port["mac"]) == (None, None, None, None)
    assert not (port["deleted"] or port["disabled"] or port["ignored"])


@pytest.mark.parametrize("row", [
    {"device_id": 1, "ifName": "x"}, {"port_id": 0, "device_id": 1}, {"port_id": 1, "device_id": None},
    {"port_id": "abc", "device_id": 1}, "not a row",
])
def test_an_unusable_port_row_raises_value_error(row):
    with pytest.raises(ValueError, match="port"):
        normalize_port(row)


@pytest.mark.parametrize("text, expected", [
    ("84bf20853e00", "84:BF:20:85:3E:00"), ("84:bf:20:85:3e:00", "84:BF:20:85:3E:00"),
    ("84bf.2085.3e00", "84:BF:20:85:3E:00"), ("84-BF-20-85-3E-00", "84:BF:20:85:3E:00"), ("", None), (5, None),
])
def test_mac_forms(text, expected):
    assert normalize_mac(text) == expected


def test_ipv4_row():
    row = {"ipv4_address_id": 69, "ipv4_address": "10.1.2.3", "ipv4_prefixlen": 24, "ipv4_network_id": 55,
           "port_id": 135, "context_name": ""}
    assert normalize_address(row) == {
        "port_id": 135, "address": "10.1.2.3/24", "family": 4, "context_name": "", "link_local": False}
    assert normalize_address({**row, "context_name": "CUST-A"})["context_name"] == "CUST-A"
    assert normalize_address({**row, "context_name": None})["context_name"] == ""


def test_ipv6_rows_are_compressed_and_link_local_is_marked():
    row = {"ipv6_address": "2001:0db8:0000:0000:0000:0000:0000:0001", "ipv6_compressed": "2001:db8::1",
           "ipv6_prefixlen": 64, "ipv6_origin": "manual", "port_id": 135, "context_name": ""}
    assert normalize_address(row) == {
        "port_id": 135, "address": "2001:db8::1/64", "family": 6, "context_name": "", "link_local": False}
    assert normalize_address({**row, "ipv6_compressed": None})["address"] == "2001:db8::1/64"
    local = {**row, "ipv6_address": "fe80:0000:0000:0000:0a00:27ff:fe4e:66a1",
             "ipv6_compressed": "fe80::a00:27ff:fe4e:66a1", "ipv6_origin": "linklayer"}
    assert normalize_address(local)["link_local"] is True
    # The address alone says link-local even when the origin is something else.
    assert normalize_address({**local, "ipv6_origin": "other"})["link_local"] is True
    assert normalize_address({**local, "ipv6_compressed": "fe80::1%vlan10"})["address"] == "fe80::1/64"


@pytest.mark.parametrize("row", [
    {"ipv4_address": "10.1.2.3", "ipv4_prefixlen": 24},
    {"ipv4_address": "10.1.2.3", "ipv4_prefixlen": None, "port_id": 1},
    {"ipv4_address": "10.1.2.300", "ipv4_prefixlen": 24, "port_id": 1},
    {"ipv4_address": "10.1.2.3", "ipv4_prefixlen": 33, "port_id": 1},
    {"ipv4_address": "2001:db8::1", "ipv4_prefixlen": 24, "port_id": 1},
    {"ipv6_prefixlen": 64, "port_id": 1},
    [],
])
def test_an_unusable_address_row_raises_value_error(row):
    with pytest.raises(ValueError):
        normalize_address(row)


LINK_ROW = {"id": 1, "local_port_id": 100, "local_device_id": 1, "remote_port_id": 200, "active": 1,
            "protocol": "lldp", "remote_hostname": "host2.example.com", "remote_device_id": 2,
            "remote_port": "xe-0/0/1"}


def test_a_resolved_link():
    assert normalize_link(LINK_ROW) == {
        "local_port_id": 100, "local_device_id": 1, "remote_device_id": 2, "remote_port_id": 200,
        "remote_port": "xe-0/0/1", "remote_hostname": "host2.example.com", "protocol": "lldp"}


@pytest.mark.parametrize("changes, expected", [
    ({"remote_device_id": 0, "remote_port_id": None}, {"remote_device_id": None, "remote_port_id": None}),
    ({"remote_device_id": 0, "remote_port_id": 0}, {"remote_device_id": None, "remote_port_id": None}),
    ({"remote_port_id": 0, "remote_port": "Gi1/0/3 (a0b1c2d3e4f5)"},
     {"remote_port_id": None, "remote_port": "Gi1/0/3"}),
    ({"remote_port": "ge-0/0/1 (a0:b1:c2:d3:e4:f5)"}, {"remote_port": "ge-0/0/1"}),
    ({"remote_port": "Gi0/1 (a0b1.c2d3.e4f5)"}, {"remote_port": "Gi0/1"}),
    ({"remote_port": "uplink (to core)"}, {"remote_port": "uplink (to core)"}),  # not a MAC: kept
    ({"protocol": "CDP", "remote_hostname": None}, {"protocol": "cdp", "remote_hostname": ""}),
])
def test_link_quirks(changes, expected):
    link = normalize_link({**LINK_ROW, **changes})
    assert {key: link[key] for key in expected} == expected


def test_an_unusable_link_row_raises_value_error():
    with pytest.raises(ValueError, match="local_port_id"):
        normalize_link({**LINK_ROW, "local_port_id": None})
    with pytest.raises(ValueError, match="local_device_id"):
        normalize_link({**LINK_ROW, "local_device_id": 0})


def test_strip_unresolved_suffix_only_strips_a_trailing_mac():
    assert strip_unresolved_suffix("Gi1/0/3 (a0b1c2d3e4f5)") == "Gi1/0/3"
    assert strip_unresolved_suffix("(a0b1c2d3e4f5) Gi1/0/3") == "(a0b1c2d3e4f5) Gi1/0/3"
    assert strip_unresolved_suffix(None) == ""
