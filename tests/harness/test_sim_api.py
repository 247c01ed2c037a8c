"""Envelopes, authentication, routes and the wire format of the simulator (real HTTP)."""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

import requests

from harness.librenms_sim import jsonfmt
from tests.harness.sim_helpers import TOKEN, Api

UNAUTH = {"message": "Unauthenticated."}


def test_list_envelope_has_status_rows_count_and_no_message(api):
    response = api.get("/devices")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["status", "devices", "count"]
    assert body["status"] == "ok"
    assert body["count"] == len(body["devices"]) == 300
    assert "message" not in body


def test_missing_bad_or_empty_token_is_401_without_status_key(sim):
    url = sim.url + "/api/v0/devices"
    for headers in ({}, {"X-Auth-Token": "wrong"}, {"X-Auth-Token": ""}, {"Authorization": "Bearer nope"}):
        response = requests.get(url, headers=headers, timeout=10)
        assert response.status_code == 401, headers
        assert response.json() == UNAUTH
        assert "status" not in response.json()
    # the route does not matter: unknown routes also need the token first
    assert requests.get(sim.url + "/api/v0/nope", timeout=10).status_code == 401


def test_bearer_and_query_token_are_accepted_header_wins(sim):
    url = sim.url + "/api/v0/devices"
    assert requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).status_code == 200
    assert requests.get(url, params={"api_token": TOKEN}, timeout=10).status_code == 200
    # LibreNMS's guard reads X-Auth-Token first; a wrong header is not rescued by a right query token
    response = requests.get(url, params={"api_token": TOKEN}, headers={"X-Auth-Token": "bad"}, timeout=10)
    assert response.status_code == 401


def test_unknown_route_404_error_envelope(api):
    for path in ("/nope", "/devices/1/nope", "/inventory", "/resources/nothing"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"status": "error", "message": "This API route doesn't exist."}


def test_unknown_device_404(api):
    for key in ("99999", "no.such.host.example.net"):
        response = api.get(f"/devices/{key}")
        assert response.status_code == 404
        assert response.json() == {"status": "error", "message": f"Device {key} does not exist"}


def test_get_device_by_id_or_exact_hostname_only(api, estate):
    fqdn = estate.by_id[estate.specials["fqdn_device"]]
    by_id = api.json(f"/devices/{fqdn['device_id']}")
    assert list(by_id) == ["status", "devices", "count"] and by_id["count"] == 1
    assert api.json("/devices/CORE1.LON1.example.net")["devices"][0]["device_id"] == fqdn["device_id"]
    plain = estate.by_id[estate.specials["for_existing_by_name"]]
    assert api.get("/devices/" + plain["sysName"]).status_code == 404  # never by sysName
    assert api.get("/devices/" + plain["ip"]).status_code == 404  # never by IP
    iphost = estate.by_id[estate.specials["ip_hostname"]]
    assert api.json("/devices/" + iphost["hostname"])["devices"][0]["device_id"] == iphost["device_id"]


def test_index_lists_routes_without_status(api, sim):
    response = api.get("")
    assert response.status_code == 200
    routes = response.json()
    assert "status" not in routes
    assert routes["list_devices"] == sim.url + "/api/v0/devices"
    assert "\\/api\\/v0\\/devices" in response.text  # PHP escapes slashes


def test_pretty_print_is_laravel_style(api, estate):
    response = api.get("/devices")
    text = response.text
    head = r'\{\n {4}"status": "ok",\n {4}"devices": \[\n {8}\{\n {12}"device_id": \d+,\n {12}"inserted"'
    assert re.match(head, text)
    assert text.endswith('\n    ],\n    "count": 300\n}')
    assert "http:\\/\\/www.cisco.com\\/techsupport" in text
    assert "z\\u00fcrich-sw-\\u00f6" in text  # unicode_device, escaped like json_encode does
    # the fast fragment path produces exactly what a generic encoder makes of the same data
    assert text == jsonfmt.pretty(response.json())


def test_error_bodies_pretty_but_auth_errors_compact(api, sim):
    assert api.get("/nope").text == '{\n    "status": "error",\n    "message": "This API route doesn\'t exist."\n}'
    assert requests.get(sim.url + "/api/v0/devices", timeout=10).text == '{"message":"Unauthenticated."}'


def test_keep_alive_and_content_length(sim):
    parts = urlsplit(sim.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        sizes = []
        for path in ("/api/v0/devices/1", "/api/v0/inventory/1/all", "/api/v0/devices/2"):
            conn.request("GET", path, headers={"X-Auth-Token": TOKEN})
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200
            assert int(response.headers["Content-Length"]) == len(body)
            assert response.version == 11 and not response.will_close
            sizes.append(len(body))
        assert conn.sock is not None  # still the same socket after three requests
    finally:
        conn.close()
    assert all(size > 500 for size in sizes)


def test_non_get_methods_are_405(api):
    response = api.session.post(api.url + "/api/v0/devices", json={}, timeout=10)
    assert response.status_code == 405
    assert "not supported" in response.json()["message"]


def test_trailing_and_double_slashes_like_nginx_and_laravel(api, sim):
    assert api.session.get(sim.url + "/api/v0/devices/", timeout=10).json()["count"] == 300
    assert api.session.get(sim.url + "//api/v0/devices/1", timeout=10).json()["count"] == 1  # merge_slashes
    response = api.session.get(sim.url + "/devices", timeout=10)  # forgot the /api/v0 base path
    assert response.status_code == 404 and "text/html" in response.headers["Content-Type"]


def test_locations(api):
    body = api.json("/resources/locations")
    assert list(body) == ["status", "locations", "count"]
    rows = body["locations"]
    assert len(rows) >= 6
    assert all(list(r) == ["id", "location", "lat", "lng", "timestamp", "fixed_coordinates"] for r in rows)
    assert any(r["location"] == "Zürich DC1" for r in rows)
    with_coords = [r for r in rows if r["lat"] is not None]
    assert all(isinstance(r["lat"], str) and isinstance(r["lng"], str) for r in with_coords)
    assert any(r["lat"] is None for r in rows)


def test_devicegroups(api, estate):
    body = api.json("/devicegroups")
    assert list(body) == ["status", "groups", "message", "count"]
    assert body["message"] == f"Found {body['count']} device groups"
    names = [g["name"] for g in body["groups"]]
    assert names == sorted(names) and 3 <= len(names) <= 4
    london = api.json("/devicegroups/London")["devices"]
    assert london and all(list(m) == ["device_id"] for m in london)
    assert {m["device_id"] for m in london} == {d["device_id"] for d in estate.devices if d["location_id"] == 1}
    stacks_id = next(g["id"] for g in body["groups"] if g["name"] == "Cisco Stacks")
    by_id = api.json(f"/devicegroups/{stacks_id}")["devices"]
    assert estate.specials["cisco_stack_relpos0"] in {m["device_id"] for m in by_id}
    full = api.json("/devicegroups/Cisco Stacks", full="1")["devices"]
    assert full[0]["hostname"] and isinstance(full[0]["status"], bool)
    empty = api.get("/devicegroups/Decommissioned")
    assert empty.status_code == 404
    assert empty.json() == {"status": "error", "message": "No devices found in group Decommissioned"}
    assert api.get("/devicegroups/nope").json()["message"] == "Device group not found"


def test_ports_and_ip(api, estate):
    ports = api.json("/devices/1/ports")
    assert ports["ports"] and all(list(p) == ["ifName"] for p in ports["ports"])
    two = api.json("/devices/1/ports", columns="ifName,ifIndex")["ports"]
    assert all(set(p) == {"ifName", "ifIndex"} for p in two)
    bad = api.get("/devices/1/ports", columns="ifName,bogus")
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid columns: bogus"
    addresses = api.json("/devices/1/ip")["addresses"]
    assert addresses[0]["ipv4_address"] == estate.by_id[1]["ip"]
    unset = estate.specials["unset_ip"]
    response = api.get(f"/devices/{unset}/ip")
    assert response.status_code == 404
    assert response.json()["message"] == f"Device {unset} does not have any IP addresses"


def test_system_endpoint_reports_a_version(api):
    body = api.json("/system")
    assert body["system"][0]["local_ver"].count(".") == 2


def test_head_request_has_no_body(sim):
    response = requests.head(sim.url + "/api/v0/devices/1", headers={"X-Auth-Token": TOKEN}, timeout=10)
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["Content-Length"]) > 0


def test_api_helper_sends_only_the_header(sim, ctl):
    Api(sim.url).get("/devices/1")
    record = ctl.requests()[-1]
    assert record["auth"] == "header" and record["endpoint"] == "get_device" and record["status"] == 200
    requests.get(sim.url + "/api/v0/devices/1", params={"api_token": TOKEN}, timeout=10)
    record = ctl.requests()[-1]
    assert record["auth"] == "query" and record["query"]["api_token"] == "<redacted>"
    assert TOKEN not in json.dumps(ctl.requests())
