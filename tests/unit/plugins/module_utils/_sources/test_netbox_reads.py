# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetBoxAccess without a NetBox: URL handling, bulk reads through a fake endpoint, and failures in one line."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pynetbox
import pytest
import requests
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_reads import (
    EXISTING_DEVICE_FIELDS,
    EXISTING_VM_FIELDS,
    PAGE_SIZE,
    REFERENCE_ENDPOINTS,
    NetBoxAccess,
    translate_errors,
)

URL = "https://netbox.example.net"
WHERE = f"NetBox {URL} /api/dcim/devices/"


def response(status, body, reason="Bad Request"):
    text = body if isinstance(body, str) else json.dumps(body)

    def decode():
        return json.loads(text)

    return SimpleNamespace(status_code=status, reason=reason, url=f"{URL}/api/dcim/devices/", text=text,
                           json=decode, request=SimpleNamespace(body=None, method="GET"))


def translated(exc):
    with pytest.raises(LibrenmsSyncError) as raised, translate_errors(URL, "/api/dcim/devices/"):
        raise exc
    assert raised.value.__suppress_context__  # the pynetbox/requests traceback is not chained on
    return raised.value.msg


@pytest.mark.parametrize(("given", "url"), [
    ("https://netbox.example.net", "https://netbox.example.net"),
    ("https://netbox.example.net/", "https://netbox.example.net"),
    ("https://netbox.example.net/api", "https://netbox.example.net"),
    ("  https://netbox.example.net/api/  ", "https://netbox.example.net"),
    ("https://example.net/netbox/api/", "https://example.net/netbox"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
])
def test_url_is_the_server_root_whatever_form_it_is_given_in(given, url):
    access = NetBoxAccess(given, "t0ken")
    assert access.url == url
    assert access.api.base_url == f"{url}/api"


@pytest.mark.parametrize(("url", "token", "message"), [
    ("", "t0ken", "netbox_url is required (or set NETBOX_URL)"),
    (None, "t0ken", "netbox_url is required (or set NETBOX_URL)"),
    (URL, "", "netbox_token is required (or set NETBOX_TOKEN)"),
    (URL, None, "netbox_token is required (or set NETBOX_TOKEN)"),
    ("", "", "netbox_url is required (or set NETBOX_URL)"),
])
def test_missing_url_or_token(url, token, message):
    with pytest.raises(LibrenmsSyncError) as raised:
        NetBoxAccess(url, token)
    assert raised.value.msg == message


@pytest.mark.parametrize(("validate_certs", "ca_path", "verify"), [
    (True, None, True), (True, "/etc/ssl/nb.pem", "/etc/ssl/nb.pem"), (False, "/etc/ssl/nb.pem", False),
    (False, None, False),
])
def test_tls_verification(validate_certs, ca_path, verify):
    assert NetBoxAccess(URL, "t0ken", validate_certs, ca_path).api.http_session.verify == verify


class FakeEndpoint:
    """A pynetbox endpoint's filter(): records the query and returns dict-able records."""

    def __init__(self, records=(), error=None):
        self.records, self.error, self.queries = list(records), error, []

    def filter(self, **params):
        self.queries.append(params)
        if self.error:
            raise self.error
        return iter(self.records)


def fake_api(**endpoints):
    """{"app.endpoint": FakeEndpoint} as a pynetbox-shaped api (apps holding endpoints)."""
    apps = {}
    for path, endpoint in endpoints.items():
        app, name = path.split(".")
        apps.setdefault(app, {})[name] = endpoint
    return SimpleNamespace(**{app: SimpleNamespace(**names) for app, names in apps.items()})


def test_list_all_reads_whole_pages_with_the_fields_and_filters_asked():
    devices = FakeEndpoint([{"id": 1, "name": "sw1"}, {"id": 2, "name": "sw2"}])
    access = NetBoxAccess(URL, "t0ken")
    access.api = fake_api(**{"dcim.devices": devices})
    listed = access.list_all("dcim", "devices", "id,name", site_id=10)
    assert listed == [{"id": 1, "name": "sw1"}, {"id": 2, "name": "sw2"}]
    assert devices.queries == [{"limit": PAGE_SIZE, "site_id": 10, "fields": "id,name"}]
    assert access.list_all("dcim", "devices") == [{"id": 1, "name": "sw1"}, {"id": 2, "name": "sw2"}]
    assert devices.queries[1] == {"limit": 1000}


def test_reference_and_existing_reads_list_each_endpoint_once_with_its_fields():
    endpoints = {f"{app}.{endpoint}": FakeEndpoint([{"id": 1}]) for app, endpoint, _f in REFERENCE_ENDPOINTS.values()}
    endpoints["dcim.devices"] = FakeEndpoint([{"id": 7, "name": "sw7"}])
    endpoints["virtualization.virtual_machines"] = FakeEndpoint([{"id": 8, "name": "vm8"}])
    access = NetBoxAccess(URL, "t0ken")
    access.api = fake_api(**endpoints)
    reference = access.reference_data()
    assert sorted(reference) == sorted(REFERENCE_ENDPOINTS)
    assert reference["roles"] == [{"id": 1}]
    assert endpoints["dcim.device_roles"].queries == [{"limit": PAGE_SIZE, "fields": "id,name,slug,vm_role"}]
    assert access.existing_objects() == {"devices": [{"id": 7, "name": "sw7"}], "vms": [{"id": 8, "name": "vm8"}]}
    assert endpoints["dcim.devices"].queries == [{"limit": PAGE_SIZE, "fields": EXISTING_DEVICE_FIELDS}]
    assert endpoints["virtualization.virtual_machines"].queries == [{"limit": PAGE_SIZE, "fields": EXISTING_VM_FIELDS}]
    assert {"status", "platform", "device_type", "custom_fields", "virtual_chassis"} <= set(
        EXISTING_DEVICE_FIELDS.split(","))


def test_a_failed_read_names_the_server_and_the_endpoint_path():
    refused = pynetbox.RequestError(response(403, {"detail": "You do not have permission to perform this action."}))
    access = NetBoxAccess(URL, "t0ken")
    access.api = fake_api(**{"virtualization.virtual_machines": FakeEndpoint(error=refused)})
    with pytest.raises(LibrenmsSyncError) as raised:
        access.list_all("virtualization", "virtual_machines")
    assert raised.value.msg == (f"NetBox {URL} /api/virtualization/virtual-machines/: 403 permission denied: "
                                "the token's user may not view this (give it the view permission here)")


@pytest.mark.parametrize(("status", "body", "message"), [
    # NetBox 4.7 answers a wrong token with 403 "Invalid v1 token" (or v2): a bad token, not a missing permission.
    (403, {"detail": "Invalid v2 token"}, "403 the API token was rejected (Invalid v2 token): check netbox_token"),
    (403, {"detail": "You do not have permission to perform this action."},
     "403 permission denied: the token's user may not view this (give it the view permission here)"),
    (401, {"detail": "Authentication credentials were not provided."},
     "401 the API token was rejected (Authentication credentials were not provided.): check netbox_token"),
    (400, {"limit": ["A valid integer is required."]}, '400 {"limit": ["A valid integer is required."]}'),
    (404, {"detail": "Not found."}, '404 {"detail": "Not found."}'),
])
def test_netbox_refusals(status, body, message):
    assert translated(pynetbox.RequestError(response(status, body))) == f"{WHERE}: {message}"


def test_a_long_refusal_is_cut_to_300_characters():
    refused = pynetbox.RequestError(response(500, "x" * 1000, "Internal Server Error"))
    assert translated(refused) == f"{WHERE}: 500 {'x' * 300}"


@pytest.mark.parametrize(("exc", "message"), [
    (requests.exceptions.SSLError("certificate verify failed: self-signed certificate"),
     "TLS verification failed; give netbox_ca_path or fix the certificate"),
    (requests.exceptions.ReadTimeout("read timed out. (read timeout=30)"), "no answer in time (timeout)"),
    (requests.exceptions.ConnectTimeout("connect timeout=30"), "no answer in time (timeout)"),
    (requests.exceptions.ConnectionError("[Errno 111] Connection refused"), "cannot connect"),
    (pynetbox.ContentError(response(200, "<html>login</html>", "OK")), "the answer is not NetBox's JSON"),
    (json.JSONDecodeError("Expecting value", "<html>", 0), "the answer is not NetBox's JSON"),
    (requests.exceptions.JSONDecodeError("Expecting value", "<html>", 0), "the answer is not NetBox's JSON"),
])
def test_transport_failures_in_one_line_without_their_details(exc, message):
    text = translated(exc)
    assert text == f"{WHERE}: {message}"
    assert "\n" not in text and "Errno" not in text and "timeout=30" not in text


def test_our_own_errors_and_other_exceptions_pass_unchanged():
    ours = LibrenmsSyncError("already explained")
    with pytest.raises(LibrenmsSyncError) as raised, translate_errors(URL, "/api/dcim/sites/"):
        raise ours
    assert raised.value is ours
    with pytest.raises(KeyError, match="id"), translate_errors(URL, "/api/dcim/sites/"):
        raise KeyError("id")
    with translate_errors(URL, "/api/dcim/sites/") as context:
        value = 42
    assert value == 42 and context.where == f"NetBox {URL} /api/dcim/sites/"


def test_a_failed_read_names_the_server_without_its_user_and_password():
    access = NetBoxAccess("https://admin:s3cret@netbox.example.net/api", "t0ken")
    access.api = fake_api(**{"dcim.sites": FakeEndpoint(error=requests.exceptions.ConnectionError("refused"))})
    with pytest.raises(LibrenmsSyncError) as raised:
        access.list_all("dcim", "sites")
    assert raised.value.msg == "NetBox https://***@netbox.example.net /api/dcim/sites/: cannot connect"
