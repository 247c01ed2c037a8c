# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.fingerprint import (
    FINGERPRINT_LENGTH,
    fingerprint,
)


def test_fingerprint_is_stable_and_tells_questions_apart():
    first = fingerprint({"filters": {"os": "ios"}, "show_disabled": False})
    assert first == fingerprint({"show_disabled": False, "filters": {"os": "ios"}})
    assert first != fingerprint({"filters": {"os": "junos"}, "show_disabled": False})
    assert len(first) == FINGERPRINT_LENGTH
    int(first, 16)
