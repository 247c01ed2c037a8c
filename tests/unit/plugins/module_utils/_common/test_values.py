# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import (
    as_bool,
    as_float,
    as_int,
    as_text,
)


@pytest.mark.parametrize(("value", "expected"), [
    (1, True), (0, False), ("1", True), ("0", False), ("true", True), ("false", False), (True, True),
    (None, False), ("", False), (2, False),
])
def test_as_bool(value, expected):
    assert as_bool(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (5, 5), ("5", 5), (" 5 ", 5), (5.0, 5), (5.5, None), ("5.5", None), (True, None), (None, None), ("x", None),
])
def test_as_int(value, expected):
    assert as_int(value) == expected


def test_as_text_strips_and_empties_to_none():
    assert as_text("  sw1 ") == "sw1"
    assert as_text("   ") is None
    assert as_text(12) == "12"
    assert as_text({"a": 1}) is None


@pytest.mark.parametrize(("value", "expected"), [
    (1.5, 1.5), ("2.25", 2.25), (3, 3.0), (None, None), (True, None), ("x", None), (float("nan"), None),
    (float("inf"), None),
])
def test_as_float(value, expected):
    assert as_float(value) == expected
