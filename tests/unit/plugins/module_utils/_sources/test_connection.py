# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options: one argument spec, and the checks made before any request is sent."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.parameters import env_fallback
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    CONNECTION_ARGUMENT_SPEC,
    CONNECTION_OPTION_NAMES,
    generate_argspec,
    librenms_client,
    netbox_access,
)

LIBRENMS = {"librenms_url": "https://librenms.example.net/api/v0/", "librenms_token": "l1brenms-t0ken"}
NETBOX = {"netbox_url": "https://netbox.example.net/api/", "netbox_token": "n3tbox-t0ken"}


def test_the_spec_names_every_connection_option_with_its_environment_variable():
    assert CONNECTION_OPTION_NAMES == (
        "librenms_url", "librenms_token", "librenms_validate_certs", "librenms_ca_path", "netbox_url",
        "netbox_token", "netbox_validate_certs", "netbox_ca_path", "timeout", "server_key")
    fallbacks = {name: spec["fallback"][1] for name, spec in CONNECTION_ARGUMENT_SPEC.items() if "fallback" in spec}
    assert fallbacks == {"librenms_url": ["LIBRENMS_URL"], "librenms_token": ["LIBRENMS_TOKEN"],
                         "netbox_url": ["NETBOX_URL", "NETBOX_API"], "netbox_token": ["NETBOX_TOKEN"]}
    assert all(spec["fallback"][0] is env_fallback for spec in CONNECTION_ARGUMENT_SPEC.values() if "fallback" in spec)
    assert [name for name, spec in CONNECTION_ARGUMENT_SPEC.items() if spec.get("no_log")] == [
        "librenms_token", "netbox_token"]
    assert CONNECTION_ARGUMENT_SPEC["server_key"] == {"type": "str", "default": "default", "no_log": False}


def test_generate_argspec_adds_the_module_options_to_a_fresh_copy():
    spec = generate_argspec(batch_size={"type": "int", "default": 100}, timeout={"type": "float", "default": 60.0})
    assert list(spec)[:len(CONNECTION_OPTION_NAMES)] == list(CONNECTION_OPTION_NAMES)
    assert spec["batch_size"] == {"type": "int", "default": 100}
    assert spec["timeout"] == {"type": "float", "default": 60.0}  # a module may override a connection option
    assert CONNECTION_ARGUMENT_SPEC["timeout"] == {"type": "float", "default": 30.0}
    assert "batch_size" not in CONNECTION_ARGUMENT_SPEC


def test_generate_argspec_copies_deeply():
    first = generate_argspec()
    first["netbox_url"]["fallback"][1].append("MY_NETBOX")
    first["server_key"]["default"] = "eu"
    second = generate_argspec()
    assert second["netbox_url"]["fallback"][1] == ["NETBOX_URL", "NETBOX_API"]
    assert second["server_key"]["default"] == "default"
    assert CONNECTION_ARGUMENT_SPEC["netbox_url"]["fallback"][1] == ["NETBOX_URL", "NETBOX_API"]
    assert second == CONNECTION_ARGUMENT_SPEC and second is not CONNECTION_ARGUMENT_SPEC


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


@pytest.mark.parametrize("timeout", [-1, -0.5, "-30"])
@pytest.mark.parametrize("build", [librenms_client, netbox_access])
def test_a_negative_timeout_is_refused_before_anything_else(build, timeout):
    # Checked before the URL and token too: the message is the timeout's even with nothing else given.
    for options in ({"timeout": timeout}, dict(LIBRENMS, **NETBOX, timeout=timeout)):
        with pytest.raises(LibrenmsSyncError) as raised:
            build(options)
        assert raised.value.msg == "timeout must be a positive number of seconds"


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
