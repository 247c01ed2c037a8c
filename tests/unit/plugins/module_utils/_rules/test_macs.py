"""MAC rules: reuse a MAC object with the same value, create otherwise, never drop a person's."""

from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.macs import mac_action


def test_mac_actions():
    assert mac_action("AA:BB:CC:DD:EE:FF", [], None) == (None, "create", "set")
    person = {"id": 1, "mac_address": "00:11:22:33:44:55"}
    assert mac_action("AA:BB:CC:DD:EE:FF", [person], 1) == (None, "create", "set")
    ours = {"id": 2, "mac_address": "aa:bb:cc:dd:ee:ff"}
    assert mac_action("AA:BB:CC:DD:EE:FF", [person, ours], 1) == (2, "unchanged", "set")
    assert mac_action("AA:BB:CC:DD:EE:FF", [person, ours], 2) == (2, "unchanged", "unchanged")
