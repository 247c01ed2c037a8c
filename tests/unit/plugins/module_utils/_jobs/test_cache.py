# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import hashlib

from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import (
    NAMING_OPTIONS,
    PREFIX,
    CachedReference,
    ResultCache,
    cache_key,
    fingerprint,
    search_fingerprint,
)


def test_fingerprint_ignores_key_order_and_is_short():
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    assert len(fingerprint({"a": 1})) == 20


def test_fingerprint_of_values_json_cannot_write():
    assert fingerprint({"when": object}) == fingerprint({"when": object})


def test_cache_key_layout_and_netbox_scope():
    scope = hashlib.sha256(b"https://netbox.example.net").hexdigest()[:12]
    assert cache_key("dc1", "https://netbox.example.net/", "device", "abc", 42) == (
        f"{PREFIX}:dc1:{scope}:device:abc:42")
    # a trailing slash is the same NetBox; another NetBox is another scope
    assert cache_key("dc1", "https://netbox.example.net", "reference") == cache_key(
        "dc1", "https://netbox.example.net/", "reference")
    assert cache_key("dc1", "https://other.example.net", "reference") != cache_key(
        "dc1", "https://netbox.example.net", "reference")


def test_cache_keys_never_hold_the_netbox_url_itself():
    key = cache_key("default", "https://user:secret@netbox.example.net", "reference")
    assert "secret" not in key and "netbox.example.net" not in key


def test_search_fingerprint_covers_filters_scope_and_naming_options():
    params = {"all_devices": False, "use_sysname": True, "strip_domain": False, "cache_timeout": 300}
    base = search_fingerprint(params, {"os": "ios"})
    assert base == search_fingerprint(dict(params, cache_timeout=2), {"os": "ios"})  # not part of what is found
    assert base != search_fingerprint(params, {"os": "junos"})
    assert base != search_fingerprint(dict(params, all_devices=True), {"os": "ios"})
    for name in NAMING_OPTIONS:
        assert base != search_fingerprint(dict(params, **{name: "changed"}), {"os": "ios"}), name


def test_search_fingerprint_ignores_credentials():
    params = {"netbox_token": "a", "librenms_token": "b"}
    assert search_fingerprint(params, {}) == search_fingerprint({"netbox_token": "c"}, {})


class FakeCache:
    def __init__(self, stored=None):
        self.stored = stored
        self.writes = []

    def reference(self):
        return self.stored

    def store_reference(self, data):
        self.writes.append(data)


class FakeNetBox:
    reads = 0
    url = "https://netbox.example.net"

    def reference_data(self):
        FakeNetBox.reads += 1
        return {"sites": [{"id": 1}]}


def test_cached_reference_reads_netbox_once_then_the_cache():
    FakeNetBox.reads = 0
    empty = FakeCache()
    wrapped = CachedReference(FakeNetBox(), empty)
    assert wrapped.reference_data() == {"sites": [{"id": 1}]}
    assert wrapped.from_cache is False and empty.writes == [{"sites": [{"id": 1}]}] and FakeNetBox.reads == 1
    warm = CachedReference(FakeNetBox(), FakeCache({"sites": []}))
    assert warm.reference_data() == {"sites": []}
    assert warm.from_cache is True and FakeNetBox.reads == 1
    assert warm.url == "https://netbox.example.net"  # everything else is NetBox's


def test_result_cache_timeout_is_at_least_one_second():
    assert ResultCache(None, "default", "https://nb", 0).timeout == 1
    assert ResultCache(None, "default", "https://nb", 2).timeout == 2


def test_a_task_and_a_worker_share_keys_whatever_user_and_password_their_netbox_url_holds():
    plain = cache_key("dc1", "https://netbox.example.net", "search", "x")
    assert cache_key("dc1", "https://proxy:s3cret@netbox.example.net/", "search", "x") == plain
