# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.filters import (
    FILTER_KEYS,
    choose_api_query,
    device_matches,
    select_devices,
    validate_search,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device

ESTATE = [
    normalize_device(row) for row in (
        {"device_id": 1, "hostname": "sw1.paris.example.net", "sysName": "sw1", "os": "ios", "type": "network",
         "hardware": "WS-C2960X-48FPD-L", "location": "Paris DC1", "location_id": 3},
        {"device_id": 2, "hostname": "sw10.paris.example.net", "sysName": "sw10", "os": "ios", "type": "network",
         "hardware": "C9300-48P", "location": "Paris DC1 annex", "location_id": 4},
        {"device_id": 3, "hostname": "fw1.lyon.example.net", "sysName": "fw1", "os": "fortigate",
         "type": "firewall", "hardware": "FortiGate-100F", "location": "Lyon", "location_id": 5},
        {"device_id": 4, "hostname": "old-sw.paris.example.net", "sysName": "old-sw", "os": "ios",
         "type": "network", "hardware": "WS-C2960X-24TS-L", "location": "Paris DC1", "location_id": 3,
         "disabled": 1},
        {"device_id": 5, "hostname": "lab-sw.paris.example.net", "os": "ios", "type": "network",
         "hardware": "WS-C2960X-24TS-L", "location": "Paris DC1", "location_id": 3, "ignore": "1"},
        {"device_id": 6, "hostname": "10.0.0.9", "os": "linux", "type": "", "location": None},
    )
]


def ids(devices):
    return [device["device_id"] for device in devices]


def test_filter_keys():
    assert FILTER_KEYS == ("location", "location_id", "type", "os", "hostname", "sysname", "hardware")


def test_validate_cleans_values_and_drops_unset_suboptions():
    clean = validate_search({"os": " ios ", "location_id": "3", "hostname": None, "sysname": None}, False)
    assert clean == {"os": "ios", "location_id": 3}


def test_unknown_key_is_named_with_the_valid_ones():
    with pytest.raises(LibrenmsSyncError) as caught:
        validate_search({"vendor": "cisco"}, False)
    message = str(caught.value)
    assert "'vendor'" in message
    for key in FILTER_KEYS:
        assert key in message


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_value_is_refused(value):
    with pytest.raises(LibrenmsSyncError, match="'os' has an empty value"):
        validate_search({"os": value}, False)


@pytest.mark.parametrize("value", ["paris", "3.5", 0, -2, True])
def test_location_id_must_be_a_positive_integer(value):
    with pytest.raises(LibrenmsSyncError, match="location_id"):
        validate_search({"location_id": value}, False)


def test_list_value_is_refused():
    with pytest.raises(LibrenmsSyncError, match="single value"):
        validate_search({"hostname": ["sw1", "sw2"]}, False)


def test_no_filter_needs_all_devices():
    with pytest.raises(LibrenmsSyncError, match="all_devices: true"):
        validate_search({}, False)
    with pytest.raises(LibrenmsSyncError, match="at least one search filter"):
        validate_search({"os": None}, False)
    assert validate_search(None, True) == {}
    assert validate_search({"os": None}, True) == {}


def test_filters_and_all_devices_contradict():
    with pytest.raises(LibrenmsSyncError, match="not both"):
        validate_search({"os": "ios"}, True)


def test_filters_must_be_a_mapping():
    with pytest.raises(LibrenmsSyncError, match="mapping"):
        validate_search(["os"], False)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"sysname": "sw1", "location_id": 3, "os": "ios"}, ("sysName", "sw1")),
    ({"location_id": 3, "hostname": "sw", "location": "Paris DC1"}, ("location_id", "3")),
    ({"os": "ios", "hostname": "sw1", "hardware": "2960"}, ("os", "ios")),
    ({"type": "network", "hostname": "sw1"}, ("type", "network")),
    ({"hostname": "sw1", "location": "Paris DC1"}, ("hostname", "sw1")),
    ({"location": "Paris DC1", "hardware": "2960"}, ("location", "Paris DC1")),
    ({"hardware": "2960"}, ("hardware", "2960")),
    ({}, (None, None)),
    (None, (None, None)),
])
def test_choose_api_query_prefers_exact_and_selective_filters(filters, expected):
    assert choose_api_query(filters) == expected


def test_location_is_exact_and_case_insensitive_although_the_server_uses_a_substring():
    assert ids(select_devices(ESTATE, {"location": "paris dc1"})) == [1]
    assert ids(select_devices(ESTATE, {"location": "Paris"})) == []


def test_location_id_is_exact():
    assert ids(select_devices(ESTATE, {"location_id": 4})) == [2]
    assert ids(select_devices(ESTATE, {"location_id": "4"})) == [2]


def test_type_is_exact_and_case_sensitive():
    assert ids(select_devices(ESTATE, {"type": "firewall"})) == [3]
    assert ids(select_devices(ESTATE, {"type": "Firewall"})) == []
    assert ids(select_devices(ESTATE, {"type": "fire"})) == []


def test_os_is_exact_and_case_insensitive():
    assert ids(select_devices(ESTATE, {"os": "IOS"})) == [1, 2]
    assert ids(select_devices(ESTATE, {"os": "io"})) == []


def test_hostname_is_a_case_insensitive_substring():
    assert ids(select_devices(ESTATE, {"hostname": "SW1"})) == [1, 2]


def test_sysname_is_exact_and_case_insensitive():
    assert ids(select_devices(ESTATE, {"sysname": "SW1"})) == [1]
    assert ids(select_devices(ESTATE, {"sysname": "sw"})) == []


def test_hardware_is_a_case_insensitive_substring():
    assert ids(select_devices(ESTATE, {"hardware": "ws-c2960x"})) == [1]
    assert ids(select_devices(ESTATE, {"hardware": "ws-c2960x"}, show_disabled=True, show_ignored=True)) == [1, 4, 5]


def test_filters_are_anded():
    assert ids(select_devices(ESTATE, {"os": "ios", "hostname": "sw1"})) == [1, 2]
    assert ids(select_devices(ESTATE, {"os": "ios", "hostname": "sw1", "location_id": 3})) == [1]


def test_a_device_without_the_field_never_matches():
    device = ESTATE[5]
    assert not device_matches(device, {"location": "Paris DC1"})
    assert not device_matches(device, {"sysname": "10.0.0.9"})
    assert not device_matches(device, {"hardware": "x"})
    assert device_matches(device, {"hostname": "10.0.0"})


def test_none_filter_values_are_ignored():
    assert device_matches(ESTATE[0], {"os": "ios", "sysname": None})


def test_disabled_and_ignored_are_dropped_unless_asked():
    assert ids(select_devices(ESTATE, {"location_id": 3})) == [1]
    assert ids(select_devices(ESTATE, {"location_id": 3}, show_disabled=True)) == [1, 4]
    assert ids(select_devices(ESTATE, {"location_id": 3}, show_ignored=True)) == [1, 5]


def test_old_server_answering_every_device_changes_nothing():
    # A server from before December 2022 ignores type=sysName and returns the whole estate.
    api_type, query = choose_api_query({"sysname": "fw1"})
    assert api_type == "sysName"
    assert ids(select_devices(ESTATE, {"sysname": query})) == [3]


def test_all_devices_keeps_every_active_device_in_order():
    assert ids(select_devices(ESTATE, {})) == [1, 2, 3, 6]
