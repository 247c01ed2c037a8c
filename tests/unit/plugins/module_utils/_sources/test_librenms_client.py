# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""LibreNMSClient endpoint logic over canned answers; the HTTP side is tested against the simulator
(tests/integration/test_librenms_client.py and test_inventory.py)."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    LibreNMSClient,
    LibreNMSConnectionError,
    LibreNMSNotFoundError,
    normalize_base_url,
)


class CannedClient(LibreNMSClient):
    """Answers each API path from a dict; a path it lacks is the 404 LibreNMS sends. No request is made."""

    def __init__(self, answers):
        super().__init__("https://nms.example.net", "token")
        self.answers = answers
        self.asked = []

    def get(self, path, endpoint, params=None):
        self.asked.append((path, endpoint))
        self.params = params
        answer = self.answers.get(path)
        if answer is None or isinstance(answer, int):
            status = answer or 404
            raise LibreNMSNotFoundError(f"GET {path}: {status}", {"http_status": status})
        return answer


@pytest.fixture()
def canned():
    clients = []

    def make(answers):
        clients.append(CannedClient(answers))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def test_device_groups_none_on_the_server_is_empty(canned):
    client = canned({})
    assert client.device_groups() == []
    assert client.asked == [("/devicegroups", "devicegroups")]
    assert canned({"/devicegroups": {"status": "ok"}}).device_groups() == []


def test_device_groups_asks_by_id_else_by_quoted_name_and_an_empty_group_is_empty(canned):
    groups = [{"id": 1, "name": "London"}, {"id": None, "name": "Bldg 7/Fl 2"}, {"id": "", "name": "Decommissioned"},
              {"id": 9, "name": ""}]
    client = canned({
        "/devicegroups": {"groups": groups},
        "/devicegroups/1": {"devices": [{"device_id": 3}]},
        "/devicegroups/Bldg%207%2FFl%202": {"devices": [{"device_id": "4"}]},
        "/devicegroups/9": {"status": "ok"},
    })
    assert client.device_groups() == [
        ("London", [{"device_id": 3}]), ("Bldg 7/Fl 2", [{"device_id": "4"}]), ("Decommissioned", []), ("9", [])]
    assert client.asked == [
        ("/devicegroups", "devicegroups"), ("/devicegroups/1", "devicegroup"),
        ("/devicegroups/Bldg%207%2FFl%202", "devicegroup"), ("/devicegroups/Decommissioned", "devicegroup"),
        ("/devicegroups/9", "devicegroup"),
    ]


def test_ports_always_ask_for_port_id_and_device_id_once_and_a_device_without_ports_is_empty(canned):
    rows = [{"port_id": 1, "device_id": 2, "ifName": "Gi0/1"}]
    client = canned({"/ports": {"status": "ok", "ports": rows}, "/devices/7/ports": 404})
    assert client.ports(["ifName", "port_id"]) == rows
    assert client.params == {"columns": "port_id,device_id,ifName"}
    assert client.ports(("ifName",), device_id=7) == []
    assert client.asked == [("/ports", "ports"), ("/devices/7/ports", "ports")]


def test_invalid_columns_stay_an_error(canned):
    client = canned({"/ports": 400})
    with pytest.raises(LibreNMSNotFoundError):
        client.ports(["if Name"])


def test_ip_addresses_estate_wide_or_per_device_and_none_is_empty(canned):
    v4 = {"ipv4_address": "10.0.0.1", "ipv4_prefixlen": 24, "port_id": 3, "context_name": ""}
    client = canned({"/resources/ip/addresses": {"ip_addresses": [v4]}, "/devices/4/ip": {"addresses": [v4]}})
    assert client.ip_addresses() == [v4]
    assert client.ip_addresses(4) == [v4]
    assert client.ip_addresses("5") == []
    assert [path for path, _endpoint in client.asked] == ["/resources/ip/addresses", "/devices/4/ip", "/devices/5/ip"]


def test_links_only_ever_ask_by_numeric_id(canned):
    link = {"local_port_id": 1, "local_device_id": 2, "remote_device_id": 0}
    client = canned({"/resources/links": {"links": [link]}, "/devices/2/links": {"links": [link]}})
    assert client.links() == [link] and client.links(2) == [link] and client.links(3) == []
    for bad in ("core-sw1", 0, -1, True, 2.5):
        with pytest.raises(LibrenmsSyncError, match="positive integer"):
            client.links(bad)
    assert len(client.asked) == 3


def test_a_failed_request_names_the_server_without_its_user_and_password():
    # Port 1 is closed on any test host: refused at once, no retry wait with retries=0.
    client = LibreNMSClient("http://admin:s3cret@127.0.0.1:1/", "token", retries=0)
    try:
        with pytest.raises(LibreNMSConnectionError) as raised:
            client.list_devices()
    finally:
        client.close()
    assert raised.value.msg.startswith("GET /api/v0/devices on LibreNMS http://***@127.0.0.1:1: cannot connect")
    assert "s3cret" not in raised.value.msg and "admin" not in raised.value.msg


def test_a_url_of_the_wrong_scheme_is_named_without_its_password():
    with pytest.raises(LibrenmsSyncError) as raised:
        normalize_base_url("ftp://admin:s3cret@nms.example.net")
    assert raised.value.msg == "librenms_url must start with http:// or https://, got 'ftp://***@nms.example.net'"
