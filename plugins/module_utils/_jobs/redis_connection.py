# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the Redis connection that jobs and the cache share."""

from __future__ import annotations

import importlib.util
import traceback
from typing import Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url

try:
    import redis
except ImportError:
    HAS_REDIS = False
    REDIS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    HAS_REDIS = True
    REDIS_IMPORT_ERROR = None

# Only its presence is checked here; queue.py and worker.py import what they use.
HAS_RQ = importlib.util.find_spec("rq") is not None
RQ_IMPORT_ERROR: Optional[str] = None if HAS_RQ else "ModuleNotFoundError: No module named 'rq'"


class RedisUnavailable(LibrenmsSyncError):
    """Redis cannot be reached: `background: auto` runs synchronously instead."""


def connect(url: Optional[str]):
    """A checked Redis connection, or RedisUnavailable saying why."""
    if not url:
        raise RedisUnavailable("no redis_url given (or NETBOX_LIBRENMS_REDIS_URL set)")
    if not HAS_REDIS or not HAS_RQ:
        raise LibrenmsSyncError("the Python libraries redis and rq are required for background jobs and the cache")
    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        connection.ping()
    except redis.exceptions.RedisError as exc:
        raise RedisUnavailable(f"Redis at {masked_url(url)} cannot be used: {exc.__class__.__name__}: {exc}") from None
    except ValueError:
        # redis-py's parse errors quote the piece they could not read, which may be part of the password.
        raise RedisUnavailable(f"Redis at {masked_url(url)} cannot be used: ValueError: not a Redis URL "
                               "(redis://, rediss:// or unix://; percent-encode / ? # @ in a password)") from None
    return connection
