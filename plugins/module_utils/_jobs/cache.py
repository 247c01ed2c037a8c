# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the shared Redis cache of searches, validated devices and NetBox reference data.

Every key comes from `cache_key`, so synchronous runs and jobs read and write the same entries, and
`clear` finds all of a server's entries (roles and clusters included). Entries hold device states and
NetBox reference data only: never a token, never a LibreNMS SNMP secret.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.fingerprint import fingerprint
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import without_userinfo

PREFIX = "netbox_librenms:cache"
DEFAULT_TIMEOUT = 300
# Options that change what a validated row says; they are part of a search's fingerprint.
NAMING_OPTIONS = ("use_sysname", "strip_domain", "vc_detection", "show_disabled", "show_ignored", "exclude_existing")


def cache_key(server_key: str, netbox_url: str, kind: str, *parts: Any) -> str:
    """The one key builder: prefix, server key, NetBox URL hash, kind, then the parts.

    The URL is hashed without its user and password, so a task and a worker (whose URL may carry them) share keys.
    """
    scope = hashlib.sha256(without_userinfo(netbox_url).rstrip("/").encode()).hexdigest()[:12]
    return ":".join([PREFIX, server_key, scope, kind, *(str(part) for part in parts)])


def search_fingerprint(params: Options, filters: Dict[str, Any]) -> str:
    return fingerprint({"filters": filters, "all": bool(params.get("all_devices")),
                        "naming": {name: params.get(name) for name in NAMING_OPTIONS}})


class ResultCache:
    """Cache entries of one LibreNMS server as seen from one NetBox."""

    def __init__(self, connection, server_key: str, netbox_url: str, timeout: int = DEFAULT_TIMEOUT) -> None:
        self.redis = connection
        self.server_key = server_key
        self.netbox_url = netbox_url
        self.timeout = max(1, int(timeout))

    @classmethod
    def for_options(cls, connection, options: Options) -> ResultCache:
        """The cache of the run's server key, NetBox and cache_timeout."""
        return cls(connection, server_key_of(options), options.get("netbox_url") or "",
                   int(options.get("cache_timeout") or DEFAULT_TIMEOUT))

    def key(self, kind: str, *parts: Any) -> str:
        return cache_key(self.server_key, self.netbox_url, kind, *parts)

    def store_search(self, search_fp: str, filters: Dict[str, Any], states: List[Dict[str, Any]],
                     selections: Dict[Any, Any]) -> str:
        cached_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        pipe = self.redis.pipeline(transaction=False)
        for state in states:
            pipe.setex(self.key("device", search_fp, state["device_id"]), self.timeout, json.dumps(state))
        entry = {"device_ids": [s["device_id"] for s in states], "filters": filters, "cached_at": cached_at,
                 "selections": {str(k): v for k, v in (selections or {}).items()}, "server_key": self.server_key}
        pipe.setex(self.key("search", search_fp), self.timeout, json.dumps(entry))
        pipe.execute()
        return cached_at

    def load_search(self, search_fp: str) -> Optional[Dict[str, Any]]:
        raw = self.redis.get(self.key("search", search_fp))
        return json.loads(raw) if raw else None

    def load_devices(self, search_fp: str, device_ids: List[int]) -> List[Dict[str, Any]]:
        keys = [self.key("device", search_fp, device_id) for device_id in device_ids]
        return [json.loads(raw) for raw in (self.redis.mget(keys) if keys else []) if raw]

    def list_searches(self) -> List[Dict[str, Any]]:
        found = []
        for key in self.redis.scan_iter(match=self.key("search", "*"), count=500):
            raw = self.redis.get(key)
            if raw:
                entry = json.loads(raw)
                found.append({"search_key": key.decode().rsplit(":", 1)[-1], "filters": entry["filters"],
                              "cached_at": entry["cached_at"], "devices": len(entry["device_ids"]),
                              "expires_in": max(0, self.redis.ttl(key))})
        return sorted(found, key=lambda entry: entry["cached_at"])

    def reference(self) -> Optional[Dict[str, Any]]:
        raw = self.redis.get(self.key("reference"))
        return json.loads(raw) if raw else None

    def store_reference(self, data: Dict[str, Any]) -> None:
        self.redis.setex(self.key("reference"), self.timeout, json.dumps(data))

    def forget_reference(self) -> None:
        self.redis.delete(self.key("reference"))

    def clear(self) -> int:
        """Delete every entry of this server, whatever the NetBox or the kind."""
        keys = list(self.redis.scan_iter(match=f"{PREFIX}:{self.server_key}:*", count=1000))
        for start in range(0, len(keys), 1000):
            self.redis.delete(*keys[start:start + 1000])
        return len(keys)


class CachedReference:
    """NetBox access whose reference data comes from the cache while it is fresh (searches only)."""

    def __init__(self, netbox, cache: ResultCache) -> None:
        self._netbox = netbox
        self._cache = cache
        self.from_cache = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._netbox, name)

    def reference_data(self) -> Dict[str, Any]:
        data = self._cache.reference()
        self.from_cache = data is not None
        if data is None:
            data = self._netbox.reference_data()
            self._cache.store_reference(data)
        return data
