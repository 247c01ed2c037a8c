"""The LibreNMS client against the real simulator over real HTTP: no mocking of requests.

The simulator runs in-process on 127.0.0.1 for this module only (it does not need the NetBox services of
the session fixtures in conftest.py). Each test starts and ends with the simulator's counters and fault
switches reset.
"""

from __future__ import annotations

# These tests check exact types (a bool must not pass for an int), which isinstance() cannot tell apart.
# pylint: disable=unidiomatic-typecheck
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import requests
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    LibreNMSAuthError,
    LibreNMSClient,
    LibreNMSConnectionError,
    LibreNMSError,
    LibreNMSNotFoundError,
    LibreNMSPermissionError,
    LibreNMSResponseError,
)

from harness.librenms_sim import SECRET_FIELDS, SECRET_MARKER
from harness.librenms_sim.control import SimulatorControl
from harness.librenms_sim.server import running_simulator

TOKEN = "lnms-client-test-Tok3n-9f8e7d6c"
WRONG_TOKEN = "lnms-wrong-Tok3n-0a1b2c3d"
SPECIALS = {"cisco_stack": 1, "juniper_vc": 6, "aruba_vsf": 8, "no_inventory": 10, "unset_ip": 23, "dependency": 24}
CANONICAL_KEYS = {
    "device_id", "hostname", "sysname", "display", "ip", "hardware", "os", "version", "serial", "features", "type",
    "status", "status_reason", "ignore", "disabled", "sys_descr", "purpose", "notes", "uptime", "last_polled",
    "dependency_parent_ids", "location", "location_id", "lat", "lng",
}
# What the single-device endpoint does not carry (LibreNMS adds the dependency columns on the list only).
LIST_ONLY_KEYS = {"dependency_parent_ids"}
REPR_MARKERS = ("Traceback", "object at 0x", "HTTPConnectionPool(", "HTTPConnection(", "MaxRetryError",
                "NewConnectionError", "<urllib3", "<requests")


# -- fixtures ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    with running_simulator(TOKEN, seed=42, size=300) as sim_server:
        yield sim_server


@pytest.fixture
def ctl(server) -> SimulatorControl:
    control = SimulatorControl(server.url)
    control.reset()
    yield control
    control.reset()


@pytest.fixture
def client(server, ctl):
    lnms = LibreNMSClient(server.url, TOKEN)
    yield lnms
    lnms.close()


def raw_devices(url: str, path: str = "/devices") -> list:
    """The device rows exactly as the wire carries them (to prove a switch took effect)."""
    answer = requests.get(f"{url}/api/v0{path}", headers={"X-Auth-Token": TOKEN}, timeout=30)
    assert answer.status_code == 200, answer.text[:200]
    return answer.json()["devices"]


def assert_clean_error(exc: BaseException, *needles: str) -> str:
    """The message names what it must, leaks no token and carries no traceback or object repr."""
    assert isinstance(exc, LibrenmsSyncError)
    text = " ".join([str(exc), exc.msg, json.dumps(exc.details, default=str)])
    for secret in (TOKEN, WRONG_TOKEN):
        assert secret not in text
    for marker in REPR_MARKERS:
        assert marker not in text, (marker, text)
    assert not re.search(r"\b\w+(Error|Exception)\(", text), text
    # `raise ... from None`: nothing from requests/urllib3 rides along in a traceback either.
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__
    for needle in needles:
        assert needle.lower() in text.lower(), (needle, text)
    return text


def timed(fn):
    started = time.monotonic()
    try:
        fn()
    except LibreNMSError as exc:
        return exc, time.monotonic() - started
    pytest.fail("expected a LibreNMSError")
    return None  # unreachable


def canonical_json(devices) -> str:
    return json.dumps(devices, sort_keys=True)


# -- base URL and credentials ----------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", "/", "/api/v0", "/api/v0/"])
def test_base_url_forms_all_reach_the_same_api(server, ctl, suffix):
    lnms = LibreNMSClient(server.url + suffix, TOKEN)
    try:
        assert lnms.base_url == server.url
        assert len(lnms.list_devices()) == 300
    finally:
        lnms.close()
    [request] = ctl.requests()
    assert request["path"] == "/api/v0/devices"
    assert request["status"] == 200
    assert request["auth"] == "header"


@pytest.mark.parametrize(
    ("url", "needle"),
    [("ftp://127.0.0.1/api/v0", "must start with http:// or https://"),
     ("127.0.0.1:8000", "must start with http:// or https://"),
     ("", "librenms_url is required"),
     ("   ", "librenms_url is required")],
)
def test_bad_base_url_is_refused_before_any_request(ctl, url, needle):
    with pytest.raises(LibrenmsSyncError) as caught:
        LibreNMSClient(url, TOKEN)
    assert_clean_error(caught.value, needle)
    assert ctl.stats()["total"] == 0


def test_empty_token_is_refused(server, ctl):
    with pytest.raises(LibrenmsSyncError) as caught:
        LibreNMSClient(server.url, "")
    assert_clean_error(caught.value, "librenms_token is required")
    assert ctl.stats()["total"] == 0


# -- list_devices ------------------------------------------------------------------------------------------------

def test_list_devices_is_normalised_and_carries_no_secret(server, client):
    wire = raw_devices(server.url)
    assert SECRET_MARKER in json.dumps(wire)  # the server does hand them out
    devices = client.list_devices()
    estate = {row["device_id"]: row for row in server.sim.estate.devices}
    assert [d["device_id"] for d in devices] == [r["device_id"] for r in wire]
    assert len(devices) == 300
    for device in devices:
        assert set(device) == CANONICAL_KEYS
        assert not set(device) & set(SECRET_FIELDS)
        assert type(device["device_id"]) is int
        for flag in ("status", "ignore", "disabled"):
            assert type(device[flag]) is bool
        for coordinate in ("lat", "lng"):
            assert device[coordinate] is None or type(device[coordinate]) is float
        source = estate[device["device_id"]]
        assert device["location"] == (source["location"] or None)
        assert device["location"] is None or isinstance(device["location"], str)
        assert device["status"] is (source["status"] == 1)
        assert device["hostname"] == source["hostname"]
    by_id = {d["device_id"]: d for d in devices}
    assert by_id[SPECIALS["unset_ip"]]["ip"] is None
    assert by_id[12]["disabled"] is True and by_id[13]["ignore"] is True and by_id[14]["status"] is False
    assert by_id[SPECIALS["dependency"]]["dependency_parent_ids"] == [4, 6]
    assert any(d["lat"] is None for d in devices) and any(isinstance(d["lat"], float) for d in devices)
    assert any(d["location"] is None for d in devices)
    serialised = canonical_json(devices)
    assert SECRET_MARKER not in serialised
    for field in SECRET_FIELDS:
        assert f'"{field}"' not in serialised
    assert client.calls == {"list_devices": 1}


def test_list_devices_with_a_filter_sends_one_request_with_type_and_query(server, ctl, client):
    devices = client.list_devices("os", "ios")
    expected = sorted(r["device_id"] for r in server.sim.estate.devices if r["os"].lower() == "ios")
    assert expected and sorted(d["device_id"] for d in devices) == expected
    assert {d["os"] for d in devices} == {"ios"}
    assert client.calls == {"list_devices": 1}
    [request] = ctl.requests()
    assert request["path"] == "/api/v0/devices"
    assert request["query"] == {"type": "os", "query": "ios"}
    assert request["endpoint"] == "list_devices"
    assert ctl.stats()["by_endpoint"]["list_devices"] == 1


def test_legacy_string_types_give_the_same_canonical_devices(server, ctl, client):
    normal = client.list_devices()
    ctl.configure(legacy_types=True)
    wire = raw_devices(server.url)
    scalars = [v for row in wire for v in row.values() if v is not None]
    assert scalars and all(isinstance(v, str) for v in scalars)
    assert {row["device_id"] for row in wire} == {str(i) for i in range(1, 301)}
    legacy = client.list_devices()
    # json.dumps tells 1 from True and 1 from 1.0, so this checks types as well as values.
    assert canonical_json(legacy) == canonical_json(normal)
    assert SECRET_MARKER not in canonical_json(legacy)


def _same_as_list_row(single: dict, row: dict) -> None:
    assert set(single) == CANONICAL_KEYS
    shared = CANONICAL_KEYS - LIST_ONLY_KEYS - {"last_polled"}
    assert {k: single[k] for k in shared} == {k: row[k] for k in shared}
    for key in shared:
        assert type(single[key]) is type(row[key]), key
    # The list gives "Y-m-d H:i:s", the single endpoint ISO with "Z": the same instant, the zone kept as given.
    assert (single["last_polled"] or "").rstrip("Z") == (row["last_polled"] or "")


@pytest.mark.parametrize(
    "switches",
    [{}, {"legacy_types": True}, {"location_object": True}, {"single_device_int_flags": True},
     {"location_object": True, "single_device_int_flags": True}],
    ids=["default", "legacy_types", "location_object", "int_flags", "location_object+int_flags"],
)
def test_get_device_by_id_and_hostname_matches_the_list_row(server, ctl, client, switches):
    rows = {d["device_id"]: d for d in client.list_devices()}
    ctl.configure(**switches)
    wire = raw_devices(server.url, "/devices/1")[0]
    if switches.get("location_object"):
        assert isinstance(wire["location"], dict)
    if switches.get("single_device_int_flags") or switches.get("legacy_types"):
        assert not isinstance(wire["ignore"], bool)
    else:
        assert isinstance(wire["ignore"], bool)
    for device_id in [*range(1, 32), 150, 300]:
        by_id = client.get_device(device_id)
        by_name = client.get_device(rows[device_id]["hostname"])
        assert canonical_json(by_id) == canonical_json(by_name)
        _same_as_list_row(by_id, rows[device_id])
        assert SECRET_MARKER not in canonical_json(by_id)
    assert client.calls == {"list_devices": 1, "get_device": 2 * 33}


# -- inventory ----------------------------------------------------------------------------------------------------

def test_inventory_of_the_special_devices(ctl, client):
    cisco = client.inventory(SPECIALS["cisco_stack"])
    juniper = client.inventory(SPECIALS["juniper_vc"])
    aruba = client.inventory(SPECIALS["aruba_vsf"])
    assert cisco and juniper and aruba
    assert [r["name"] for r in cisco if r["class"] == "chassis"] == ["1", "2", "3"]
    assert sum(r["class"] == "stack" for r in cisco) == 1
    assert sum(r["vendor_type"] == "FPC" for r in juniper) == 2
    assert {r["name"] for r in aruba} >= {"Stack", "Chassis 1", "Chassis 2"}
    assert all(r["class"] is None for r in aruba)
    assert all(isinstance(r["index"], int) for r in cisco + juniper + aruba)
    assert client.inventory(SPECIALS["no_inventory"]) == []
    assert client.inventory(999999) == []
    log = ctl.requests()
    assert log[-1]["path"] == "/api/v0/inventory/999999/all" and log[-1]["status"] == 200
    assert {r["endpoint"] for r in log} == {"inventory_all"}
    assert client.calls == {"inventory_all": 5}


def test_inventories_make_one_all_call_per_distinct_device(ctl, client):
    ids = [1, 6, 8, 10, 1, 6, 999999, 5, 8, 2, 3, 4]
    distinct = list(dict.fromkeys(ids))
    done = []
    result = client.inventories(ids, concurrency=4, on_done=lambda n, total: done.append((n, total)))
    assert list(result) == distinct
    assert result[10] == [] and result[999999] == []
    assert all(result[i] for i in (1, 2, 3, 4, 5, 6, 8))
    assert done[-1] == (len(distinct), len(distinct))
    stats = ctl.stats()["by_endpoint"]
    assert stats["inventory_all"] == len(distinct)
    assert stats["inventory"] == 0
    assert client.calls == {"inventory_all": len(distinct)}
    paths = sorted(r["path"] for r in ctl.requests())
    assert paths == sorted(f"/api/v0/inventory/{i}/all" for i in distinct)
    assert result[1] == client.inventory(1)


# -- retries ----------------------------------------------------------------------------------------------------

def test_two_server_errors_are_retried_away(ctl, client):
    ctl.configure(fail_next=2)
    assert len(client.list_devices()) == 300
    assert ctl.stats()["total"] == 3
    assert [r["status"] for r in ctl.requests()] == [503, 503, 200]
    assert client.calls == {"list_devices": 1}  # urllib3 retried inside one client call


def test_persistent_server_errors_raise_a_response_error(server, ctl, client):
    ctl.configure(fail_next=10)
    exc, _elapsed = timed(client.list_devices)
    assert type(exc) is LibreNMSResponseError
    assert_clean_error(exc, server.url, "/api/v0/devices", "server errors persisted", "503")
    assert ctl.stats()["total"] == 4  # one try and three retries
    assert ctl.config()["fail_next"] == 6


def test_error_rate_outcomes_are_deterministic(server, ctl, client):
    def run(rate: float) -> tuple:
        ctl.reset()
        ctl.configure(error_rate=rate)
        outcomes = []
        for _unused in range(6):
            try:
                outcomes.append(len(client.list_devices()))
            except LibreNMSResponseError as exc:
                assert_clean_error(exc, server.url, "/api/v0/devices", "server errors persisted")
                outcomes.append(type(exc).__name__)
        return outcomes, [r["status"] for r in ctl.requests()]

    first = run(0.5)
    assert run(0.5) == first  # the simulator restarts its error sequence whenever error_rate is set
    outcomes, statuses = first
    assert set(outcomes) <= {300, "LibreNMSResponseError"} and 300 in outcomes
    assert set(statuses) <= {200, 500, 502, 503} and set(statuses) & {500, 502, 503}
    assert statuses.count(200) == outcomes.count(300)
    ctl.reset()
    ctl.configure(error_rate=1.0)
    exc, _elapsed = timed(client.list_devices)
    assert type(exc) is LibreNMSResponseError
    assert_clean_error(exc, "server errors persisted")
    assert ctl.stats()["total"] == 4


# -- HTTP errors ---------------------------------------------------------------------------------------------------

def test_unauthorized_switch_raises_an_auth_error(server, ctl, client):
    ctl.configure(unauthorized=True)
    exc, _elapsed = timed(client.list_devices)
    assert type(exc) is LibreNMSAuthError
    assert_clean_error(exc, server.url, "/api/v0/devices", "401", "token was rejected")
    assert ctl.stats()["total"] == 1  # 401 is not retried


def test_wrong_token_raises_an_auth_error_without_the_token(server, ctl):
    lnms = LibreNMSClient(server.url, WRONG_TOKEN)
    try:
        exc, _elapsed = timed(lambda: lnms.get_device(1))
    finally:
        lnms.close()
    assert type(exc) is LibreNMSAuthError
    assert_clean_error(exc, server.url, "/api/v0/devices/1", "401")
    [request] = ctl.requests()
    assert request["status"] == 401 and request["auth"] == "header"


def test_forbidden_raises_a_permission_error(server, ctl, client):
    ctl.configure(forbidden=True)
    exc, _elapsed = timed(lambda: client.inventory(1))
    assert type(exc) is LibreNMSPermissionError
    assert_clean_error(exc, server.url, "/api/v0/inventory/1/all", "403", "This action is unauthorized.")


def test_html_instead_of_json_raises_a_response_error(server, ctl, client):
    ctl.configure(not_json=True)
    exc, _elapsed = timed(client.list_devices)
    assert type(exc) is LibreNMSResponseError
    assert_clean_error(exc, server.url, "/api/v0/devices", "not JSON", "HTTP 200")


def test_unknown_device_raises_not_found(server, client):
    exc, _elapsed = timed(lambda: client.get_device(999999))
    assert type(exc) is LibreNMSNotFoundError
    assert_clean_error(exc, server.url, "/api/v0/devices/999999", "404", "does not exist")


# -- transport failures ----------------------------------------------------------------------------------------------

def test_a_hung_server_times_out_within_bounds(server, ctl):
    ctl.configure(hang_seconds=3)
    lnms = LibreNMSClient(server.url, TOKEN, timeout=1)
    try:
        exc, elapsed = timed(lnms.list_devices)
    finally:
        lnms.close()
    assert type(exc) is LibreNMSConnectionError
    assert_clean_error(exc, server.url, "/api/v0/devices", "timeout", "1 s")
    assert "cannot connect" not in str(exc)  # it connected; the answer never came
    assert elapsed < 8
    assert ctl.stats()["total"] == 2  # read errors are retried once


def test_an_unreachable_server_fails_fast_with_cannot_connect(ctl):
    # A port bound but not listening refuses connections, and nobody else can take it meanwhile.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{holder.getsockname()[1]}"
        lnms = LibreNMSClient(url, TOKEN, timeout=5)
        try:
            exc, elapsed = timed(lnms.list_devices)
        finally:
            lnms.close()
    assert type(exc) is LibreNMSConnectionError
    assert_clean_error(exc, url, "/api/v0/devices", "cannot connect", "refused")
    assert elapsed < 6  # three connect retries with 0.5 s backoff, no timeout waited out


class _Redirector(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[list] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(301)
        self.send_header("Location", "/moved" + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def test_a_redirect_is_not_followed(ctl):
    _Redirector.hits = []
    redirector = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=redirector.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{redirector.server_address[1]}"
    lnms = LibreNMSClient(url, TOKEN)
    try:
        exc, _elapsed = timed(lnms.list_devices)
    finally:
        lnms.close()
        redirector.shutdown()
        redirector.server_close()
        thread.join(timeout=5)
    assert type(exc) is LibreNMSResponseError
    assert_clean_error(exc, url, "/api/v0/devices", "redirected", "301", "/moved/api/v0/devices")
    assert _Redirector.hits == ["/api/v0/devices"]
