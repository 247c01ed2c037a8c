"""Which stack member an interface belongs on."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.member_position import (
    compile_member_rules,
    member_for,
    member_position,
)

DEFAULT = compile_member_rules(None)


@pytest.mark.parametrize("name, position", [
    ("Gi2/0/1", 2), ("GigabitEthernet3/0/48", 3), ("Te1/1/4", 1), ("1/1/7", 1),
    ("xe-1/0/0", 2), ("ge-0/0/3", 1), ("et-2/0/1", 3),
    ("Vlan100", None), ("Ethernet1/1", None), ("ae0", None), ("irb.100", None),
])
def test_default_rules(name, position):
    assert member_position(name, DEFAULT) == position


def test_member_for_falls_back_to_the_master():
    members = {1: "master", 2: "second"}
    assert member_for("Gi2/0/1", DEFAULT, members, "master") == "second"
    assert member_for("Gi5/0/1", DEFAULT, members, "master") == "master"
    assert member_for("Vlan1", DEFAULT, members, "master") == "master"


def test_custom_rule():
    rules = compile_member_rules([{"pattern": r"^port(\d+)\.", "offset": 10}])
    assert member_position("port3.1", rules) == 13
    assert member_position("Gi2/0/1", rules) is None


@pytest.mark.parametrize("rule, message", [
    ({"pattern": "("}, "not a regular expression"),
    ({"pattern": "Gi"}, "must capture"),
    ({}, "needs a pattern"),
    ({"pattern": r"(\d)", "offset": "x"}, "offset"),
])
def test_bad_rules_name_the_option(rule, message):
    with pytest.raises(LibrenmsSyncError, match=rf"member_position_rules\[0\].*{message}"):
        compile_member_rules([rule])
