# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A URL's user and password: masked in messages, left out of payloads and comparisons."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import (
    masked_url,
    same_server,
    without_userinfo,
)

WITH_USERINFO = [
    ("redis://:s3cret@redis.example.net:6379/0", "redis://***@redis.example.net:6379/0"),
    ("redis://worker:s3cret@redis.example.net:6379/1", "redis://***@redis.example.net:6379/1"),
    ("rediss://default:s3cret@redis.example.net:6380", "rediss://***@redis.example.net:6380"),
    ("redis://worker@redis.example.net", "redis://***@redis.example.net"),
    ("redis://:s3cret@pa@ss@redis.example.net:6379/0", "redis://***@redis.example.net:6379/0"),
    ("https://admin:s3cret@nms.example.net/api/v0", "https://***@nms.example.net/api/v0"),
    ("https://admin:s3cret@nms.example.net:8443/?x=1", "https://***@nms.example.net:8443/?x=1"),
    # An unquoted / ? or # in the password cuts urllib's authority short: still nothing of it is shown.
    ("https://admin:s3/cr?et#x@nms.example.net/path", "https://***@nms.example.net/path"),
    ("https://admin:s3cret@[2001:db8::1]:8443/", "https://***@[2001:db8::1]:8443/"),
    ("admin:s3cret@nms.example.net", "***@nms.example.net"),
]


@pytest.mark.parametrize(("url", "shown"), WITH_USERINFO)
def test_masked_url_hides_user_and_password(url, shown):
    assert masked_url(url) == shown
    assert "s3" not in masked_url(url) and "ss@" not in masked_url(url) and "admin" not in masked_url(url)


@pytest.mark.parametrize(("url", "shown"), WITH_USERINFO)
def test_without_userinfo_drops_user_and_password(url, shown):
    assert without_userinfo(url) == shown.replace("***@", "")


@pytest.mark.parametrize("url", [
    "redis://redis.example.net:6379/0", "redis://localhost", "unix:///run/redis/redis.sock?db=2",
    "https://nms.example.net/", "http://[2001:db8::1", "", "not a url",
])
def test_a_url_without_credentials_is_left_as_it_is(url):
    assert masked_url(url) == url
    assert without_userinfo(url) == url


def test_none_reads_as_empty():
    assert masked_url(None) == "" and without_userinfo(None) == ""


@pytest.mark.parametrize(("left", "right", "same"), [
    ("https://u:p@nb.example.net/", "https://nb.example.net", True),
    ("https://NB.example.net", "https://u:p@nb.example.net/", True),
    ("https://a:1@nb.example.net", "https://b:2@nb.example.net", True),
    ("https://nb.example.net", "https://nb2.example.net", False),
    (None, "", True),
])
def test_same_server_ignores_userinfo_slash_and_case(left, right, same):
    assert same_server(left, right) is same
