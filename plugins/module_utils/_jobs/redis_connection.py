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
        if _is_unreachable(exc):
            raise RedisUnavailable(unreachable_message(url, exc)) from None
        raise RedisUnavailable(f"Redis at {masked_url(url)} cannot be used: {exc.__class__.__name__}: {exc}") from None
    except ValueError:
        # redis-py's parse errors quote the piece they could not read, which may be part of the password.
        raise RedisUnavailable(f"Redis at {masked_url(url)} cannot be used: ValueError: not a Redis URL "
                               "(redis://, rediss:// or unix://; percent-encode / ? # @ in a password)") from None
    return connection


def _is_unreachable(exc: BaseException) -> bool:
    """Refused, reset, timed out: Redis is down or away (a wrong password is a ConnectionError too, but not that)."""
    return (isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError))
            and not isinstance(exc, redis.exceptions.AuthenticationError))


def unreachable_message(url: str, exc: BaseException) -> str:
    return f"Redis unreachable at {masked_url(url)}: {exc.__class__.__name__}: {str(exc)[:300]}"


class redis_errors:
    """Redis going away in the middle of a task (stopped, restarted, network gone) as one line, not a traceback."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is not None and HAS_REDIS and _is_unreachable(exc):
            raise LibrenmsSyncError(unreachable_message(self.url, exc)) from None
        return False
