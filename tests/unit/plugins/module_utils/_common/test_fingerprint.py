# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""fingerprint: the digest behind cache keys and request dedup, stable across runs and hosts."""

from __future__ import annotations

import datetime
import re

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.fingerprint import (
    FINGERPRINT_LENGTH,
    fingerprint,
)

SEARCH = {"filters": {"os": "ios", "location": "Paris DC1"}, "server_key": "default", "all": False}


def test_known_digests_do_not_change_between_versions():
    # Cache entries and queued-request pointers outlive one run: their keys must stay the same.
    assert fingerprint({"filters": {"os": "ios"}, "server_key": "default"}) == "92fe56f4b7fd9ffe34f7"
    assert fingerprint({}) == "44136fa355b3678a1146"
    assert fingerprint(None) == "74234e98afe7498fb5da"


def test_short_lower_case_hex():
    assert FINGERPRINT_LENGTH == 20
    assert re.fullmatch(r"[0-9a-f]{20}", fingerprint(SEARCH))


def test_key_order_does_not_matter_at_any_depth():
    reordered = {"all": False, "server_key": "default", "filters": {"location": "Paris DC1", "os": "ios"}}
    assert fingerprint(reordered) == fingerprint(SEARCH)


def test_any_value_change_changes_the_digest():
    digests = {
        fingerprint(SEARCH),
        fingerprint(dict(SEARCH, all=True)),
        fingerprint(dict(SEARCH, server_key="eu")),
        fingerprint(dict(SEARCH, filters={"os": "ios"})),
        fingerprint(dict(SEARCH, filters={"os": "IOS", "location": "Paris DC1"})),
        fingerprint(dict(SEARCH, extra=None)),
    }
    assert len(digests) == 6


def test_list_order_matters_but_tuple_or_list_does_not():
    assert fingerprint({"devices": [1, 2]}) != fingerprint({"devices": [2, 1]})
    assert fingerprint({"devices": (1, 2)}) == fingerprint({"devices": [1, 2]})


def test_types_json_keeps_apart_are_kept_apart():
    assert fingerprint({"id": 1}) != fingerprint({"id": "1"})
    assert fingerprint({"on": True}) != fingerprint({"on": 1})
    assert fingerprint({"on": None}) != fingerprint({"on": False})


def test_values_json_cannot_write_are_digested_as_their_text():
    day = datetime.date(2026, 1, 2)
    assert fingerprint({"since": day}) == fingerprint({"since": "2026-01-02"})
    assert fingerprint({"since": day}) != fingerprint({"since": datetime.date(2026, 1, 3)})


def test_non_ascii_text_is_digested_as_utf8():
    assert fingerprint({"location": "Zürich"}) != fingerprint({"location": "Zurich"})
    assert fingerprint({"location": "Zürich"}) == fingerprint({"location": "Z\u00fcrich"})
