# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options: one argument spec, and the checks made before any request is sent."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    librenms_client,
    netbox_access,
)

LIBRENMS = {"librenms_url": "https://librenms.example.net/api/v0/", "librenms_token": "l1brenms-t0ken"}
NETBOX = {"netbox_url": "https://netbox.example.net/api/", "netbox_token": "n3tbox-t0ken"}


@pytest.mark.parametrize(("options", "message"), [
    ({}, "librenms_token is required (or set LIBRENMS_TOKEN)"),
    ({"librenms_url": "https://librenms.example.net", "librenms_token": ""},
     "librenms_token is required (or set LIBRENMS_TOKEN)"),
    ({"librenms_token": "t", "librenms_url": None}, "librenms_url is required (or set LIBRENMS_URL)"),
    ({"librenms_token": "t", "librenms_url": "   "}, "librenms_url is required (or set LIBRENMS_URL)"),
    ({"librenms_token": "t", "librenms_url": "librenms.example.net"},
     "librenms_url must start with http:// or https://, got 'librenms.example.net'"),
])
def test_librenms_client_names_the_missing_option_and_its_variable(options, message):
    with pytest.raises(LibrenmsSyncError) as raised:
        librenms_client(options)
    assert raised.value.msg == message


@pytest.mark.parametrize(("options", "message"), [
    ({}, "netbox_url is required (or set NETBOX_URL)"),
    ({"netbox_url": "", "netbox_token": "t"}, "netbox_url is required (or set NETBOX_URL)"),
    ({"netbox_url": "https://netbox.example.net"}, "netbox_token is required (or set NETBOX_TOKEN)"),
    ({"netbox_url": "https://netbox.example.net", "netbox_token": None},
     "netbox_token is required (or set NETBOX_TOKEN)"),
])
def test_netbox_access_names_the_missing_option_and_its_variable(options, message):
    with pytest.raises(LibrenmsSyncError) as raised:
        netbox_access(options)
    assert raised.value.msg == message


@pytest.mark.parametrize("timeout", [0, 0.0, "0", -1, -0.5, "-30"])
@pytest.mark.parametrize("build", [librenms_client, netbox_access])
def test_a_zero_or_negative_timeout_is_refused_before_anything_else(build, timeout):
    # 0 is refused, not read as "unset" (it used to become 30 s).
    # Checked before the URL and token too: the message is the timeout's even with nothing else given.
    for options in ({"timeout": timeout}, dict(LIBRENMS, **NETBOX, timeout=timeout)):
        with pytest.raises(LibrenmsSyncError) as raised:
            build(options)
        shown = repr(timeout) if isinstance(timeout, str) else str(timeout)
        assert raised.value.msg == f"timeout must be greater than 0 (seconds), got {shown}"


def test_librenms_client_from_valid_options_is_built_without_a_request():
    client = librenms_client(dict(LIBRENMS, server_key="eu", timeout=45))
    try:
        assert client.base_url == "https://librenms.example.net"
        assert client.server_key == "eu"
        assert client.calls == {}
    finally:
        client.close()


def test_librenms_client_without_a_server_key_speaks_for_the_default_server():
    client = librenms_client(dict(LIBRENMS, server_key=None))
    try:
        assert client.server_key == "default"
    finally:
        client.close()


def test_netbox_access_from_valid_options_uses_the_tls_options():
    access = netbox_access(dict(NETBOX, netbox_validate_certs=True, netbox_ca_path="/etc/ssl/netbox-ca.pem"))
    assert access.url == "https://netbox.example.net"
    assert access.api.http_session.verify == "/etc/ssl/netbox-ca.pem"
    assert (access.requests_made, access.writes_made) == (0, 0)
    insecure = netbox_access(dict(NETBOX, netbox_validate_certs=False, netbox_ca_path="/etc/ssl/netbox-ca.pem"))
    assert insecure.api.http_session.verify is False
    assert netbox_access(NETBOX).api.http_session.verify is True  # unset means verify
