# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError


def test_str_is_the_message():
    error = LibrenmsSyncError("LibreNMS said no")
    assert str(error) == "LibreNMS said no"
    assert error.msg == "LibreNMS said no"


def test_details_default_to_an_empty_dict_so_fail_json_can_splat_them():
    assert LibrenmsSyncError("x").details == {}
    assert LibrenmsSyncError("x", None).details == {}


def test_details_are_kept_as_a_copy():
    details = {"problems": ["a", "b"]}
    error = LibrenmsSyncError("two problems", details)
    details["other"] = 1
    assert error.details == {"problems": ["a", "b"]}


def test_it_is_an_exception_that_can_be_caught_as_such():
    with pytest.raises(Exception, match=r"^boom$"):
        raise LibrenmsSyncError("boom", {"status": 500})
