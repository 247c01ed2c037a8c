# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import (
    NETBOX_NAME_MAX,
    alias_names,
    check_name_length,
    is_ip_address,
    resolve_name,
    short_name,
)


def device(hostname="", sysname=None, device_id=12):
    return {"device_id": device_id, "hostname": hostname, "sysname": sysname}


def test_sysname_first_then_hostname():
    assert resolve_name(device("core-sw1.example.net", "core-sw1")) == "core-sw1"
    assert resolve_name(device("core-sw1.example.net", None)) == "core-sw1.example.net"


def test_hostname_first_without_use_sysname():
    assert resolve_name(device("core-sw1.example.net", "core-sw1"), use_sysname=False) == "core-sw1.example.net"
    assert resolve_name(device("", "core-sw1"), use_sysname=False) == "core-sw1"


def test_no_name_at_all_gives_device_id():
    assert resolve_name(device("", None, device_id=42)) == "device-42"
    assert resolve_name(device("  ", "", device_id=43), use_sysname=False) == "device-43"


def test_strip_domain_keeps_the_first_label():
    assert resolve_name(device("core-sw1.paris.example.net"), strip_domain=True) == "core-sw1"


@pytest.mark.parametrize("address", ["10.20.0.5", "2001:db8::1", "fe80::1%eth0", "[2001:db8::2]"])
def test_strip_domain_never_cuts_an_ip_address(address):
    assert resolve_name(device(address), strip_domain=True) == address
    assert is_ip_address(address)


def test_strip_domain_keeps_unicode():
    assert resolve_name(device("zürich-sw1.example.ch", "zürich-sw1.example.ch"), strip_domain=True) == "zürich-sw1"


def test_short_name_of_a_name_starting_with_a_dot_is_the_name():
    assert short_name(".hidden") == ".hidden"
    assert not is_ip_address("sw1.example.net")


def test_netbox_limit():
    assert NETBOX_NAME_MAX == 64


def test_name_of_64_characters_fits():
    assert check_name_length("a" * 64) == (True, None)


def test_long_name_with_a_domain_suggests_the_short_name():
    name = "access-switch-building-a-floor-3." + "very-long-subdomain.paris.example.net"
    assert len(name) > 64
    assert check_name_length(name) == (False, "access-switch-building-a-floor-3")


def test_long_name_without_a_usable_domain_is_truncated_without_a_trailing_dash():
    name = "x" * 63 + "-tail-of-a-long-name"
    fits, suggestion = check_name_length(name)
    assert fits is False
    assert suggestion == "x" * 63
    assert len(suggestion) <= 64


def test_long_first_label_is_truncated_without_a_trailing_dot():
    name = "y" * 63 + "." + "z" * 70
    assert check_name_length(name) == (False, "y" * 63)


def test_unicode_length_counts_characters():
    name = "é" * 64
    assert check_name_length(name) == (True, None)
    assert check_name_length(name + "é")[0] is False


def test_alias_names_are_lower_cased_with_short_forms():
    aliases = alias_names(device("Core-SW1.Paris.Example.NET", "core-sw1.paris.example.net"))
    assert aliases == {"core-sw1.paris.example.net", "core-sw1"}


def test_alias_names_of_an_ip_hostname_keep_the_address():
    assert alias_names(device("10.20.0.5", None)) == {"10.20.0.5"}
    assert alias_names(device("", None)) == frozenset()
