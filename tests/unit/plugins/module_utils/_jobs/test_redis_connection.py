# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Redis connection: refused without a URL, RedisUnavailable when unusable, never showing the password."""

from __future__ import annotations

import pytest
import redis
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.redis_connection import (
    HAS_REDIS,
    HAS_RQ,
    RedisUnavailable,
    connect,
    redis_errors,
)

# Port 1 (tcpmux) is closed on any test host: the connection is refused at once, no Redis is needed.
CLOSED = "127.0.0.1:1"


def test_the_libraries_are_installed_for_these_tests():
    assert HAS_REDIS and HAS_RQ  # else connect() raises the "required" error before any of the checks below


@pytest.mark.parametrize("url", [None, ""])
def test_no_url_is_redis_unavailable_naming_the_option_and_variable(url):
    with pytest.raises(RedisUnavailable) as raised:
        connect(url)
    assert raised.value.msg == "no redis_url given (or NETBOX_LIBRENMS_REDIS_URL set)"
    assert isinstance(raised.value, LibrenmsSyncError)  # modules report it like any other failure


def test_closed_port_is_redis_unavailable_with_the_password_masked():
    url = f"redis://:s3cret@{CLOSED}/0"
    with pytest.raises(RedisUnavailable) as raised:
        connect(url)
    message = raised.value.msg
    assert message.startswith(f"Redis unreachable at redis://***@{CLOSED}/0: ConnectionError: ")
    assert "s3cret" not in message
    assert raised.value.__suppress_context__


def test_closed_port_without_password_shows_the_url():
    with pytest.raises(RedisUnavailable, match=rf"^Redis unreachable at redis://{CLOSED}/3: ConnectionError: "):
        connect(f"redis://{CLOSED}/3")


def test_a_url_redis_cannot_parse_is_redis_unavailable_too():
    with pytest.raises(RedisUnavailable) as raised:
        connect("http://:s3cret@redis.example.net:6379")
    assert raised.value.msg.startswith("Redis at http://***@redis.example.net:6379 cannot be used: ValueError: ")
    assert "s3cret" not in raised.value.msg


@pytest.mark.parametrize("password", ["s3cret", "s3c@ret", "s3c/ret", "s3c?ret"])
def test_no_part_of_the_password_is_shown_whatever_it_holds(password):
    with pytest.raises(RedisUnavailable) as raised:
        connect(f"redis://worker:{password}@{CLOSED}/0")
    where = raised.value.msg.split(": ", 1)[0]  # a URL redis-py cannot parse is named, not called unreachable
    assert "s3c" not in raised.value.msg and "ret" not in where
    assert where.startswith((f"Redis unreachable at redis://***@{CLOSED}", f"Redis at redis://***@{CLOSED}"))


def test_redis_going_away_mid_task_is_one_line_naming_the_masked_url():
    with pytest.raises(LibrenmsSyncError) as raised, redis_errors("redis://:s3cret@redis.example.net:6379/0"):
        raise redis.exceptions.ConnectionError("Error 111 connecting to redis.example.net:6379. Connection refused.")
    assert raised.value.msg == ("Redis unreachable at redis://***@redis.example.net:6379/0: ConnectionError: Error 111 "
                                "connecting to redis.example.net:6379. Connection refused.")


@pytest.mark.parametrize("error", [redis.exceptions.AuthenticationError("invalid password"),
                                   redis.exceptions.ResponseError("WRONGTYPE"), KeyError("id")])
def test_other_errors_are_not_called_unreachable(error):
    with pytest.raises(type(error)), redis_errors("redis://redis.example.net:6379/0"):
        raise error
