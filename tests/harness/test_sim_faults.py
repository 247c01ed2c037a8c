"""Fault switches, counters and the control API."""

from __future__ import annotations

import time

import pytest
import requests

from harness.librenms_sim.control import SimulatorControlError


def test_latency_is_added(api, ctl):
    started = time.perf_counter()
    assert api.get("/devices/1").status_code == 200
    fast = time.perf_counter() - started
    ctl.configure(latency_ms=300)
    started = time.perf_counter()
    assert api.get("/devices/1").status_code == 200
    slow = time.perf_counter() - started
    assert slow >= 0.3 > fast


def test_fail_next(api, ctl):
    ctl.configure(fail_next=2)
    statuses = [api.get("/devices/1").status_code for _unused in range(3)]
    assert statuses == [503, 503, 200]
    assert ctl.config()["fail_next"] == 0
    assert ctl.stats()["by_status"] == {"503": 2, "200": 1}


def test_error_rate_is_a_deterministic_sequence(api, ctl):
    def run():
        ctl.reset()
        ctl.configure(error_rate=0.5)
        return [api.get("/devices/1").status_code for _unused in range(40)]

    first = run()
    assert set(first) - {200} <= {500, 502, 503} and 200 in first
    errors = sum(s != 200 for s in first)
    assert 10 <= errors <= 30
    assert run() == first
    ctl.configure(error_rate=1.0)
    assert all(api.get("/devices/1").status_code >= 500 for _unused in range(5))


def test_error_bodies_are_html_or_json(api, ctl):
    ctl.configure(error_rate=1.0)
    kinds = set()
    for _unused in range(30):
        response = api.get("/devices/1")
        kinds.add(response.headers["Content-Type"])
        if response.status_code == 500:
            assert response.json() == {"message": "Server Error"}
        else:
            assert response.text.lstrip().startswith("<html>")
    assert kinds == {"application/json", "text/html"}


def test_hang_exceeds_the_client_timeout_and_reset_releases_it(api, ctl):
    ctl.configure(hang_seconds=5)
    started = time.perf_counter()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get("/devices/1", timeout=0.5)
    assert time.perf_counter() - started < 2
    ctl.reset()
    assert api.get("/devices/1", timeout=5).status_code == 200


def test_unauthorized_switch(api, ctl):
    ctl.configure(unauthorized=True)
    response = api.get("/devices")
    assert response.status_code == 401 and response.json() == {"message": "Unauthenticated."}


def test_forbidden_switch(api, ctl):
    ctl.configure(forbidden=True)
    for path in ("/devices", "/inventory/1/all", "/resources/locations"):
        response = api.get(path)
        assert response.status_code == 403
        assert response.json() == {"message": "This action is unauthorized."}


def test_not_json_switch(api, ctl):
    ctl.configure(not_json=True)
    response = api.get("/devices")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/html"
    with pytest.raises(ValueError):
        response.json()


def test_counters_per_endpoint_and_status(sim, api, ctl):
    api.get("/devices")
    api.get("/devices/1")
    api.get("/devices/99999")
    api.get("/inventory/1/all")
    api.get("/inventory/1")
    api.get("/resources/locations")
    api.get("/devicegroups")
    api.get("/devicegroups/London")
    api.get("/nope")
    requests.get(sim.url + "/api/v0/devices", timeout=10)  # no token: counted, 401
    for path in ("/ports", "/devices/1/ports", "/resources/ip/addresses", "/resources/ip/addresses/ipv6",
                 "/devices/1/ip", "/resources/links", "/devices/1/links", "/devices/99999/links"):
        api.get(path)
    ctl.config()  # control calls are never counted
    stats = ctl.stats()
    assert stats["total"] == 18
    assert stats["by_endpoint"] == {"list_devices": 2, "get_device": 2, "inventory_all": 1, "inventory": 1,
                                    "locations": 1, "devicegroups": 1, "devicegroup": 1, "ports": 1,
                                    "device_ports": 1, "ip_addresses": 2, "device_ip": 1, "links": 1,
                                    "device_links": 2, "other": 1}
    assert stats["by_status"] == {"200": 14, "404": 3, "401": 1}
    ctl.reset()
    assert ctl.stats()["total"] == 0


def test_config_roundtrip_validation_and_reset(ctl):
    assert ctl.config()["latency_ms"] == 0
    assert ctl.configure(legacy_types=True, latency_ms=5)["legacy_types"] is True
    for bad in ({"no_such_switch": True}, {"error_rate": 2}, {"legacy_types": "yes"}, {"fail_next": 1.5}):
        with pytest.raises(SimulatorControlError, match="HTTP 400"):
            ctl.configure(**bad)
    ctl.reset()
    config = ctl.config()
    assert config["legacy_types"] is False and config["latency_ms"] == 0


def test_estate_reload_resets_counters_and_validates(api, ctl):
    api.get("/devices/1")
    summary = ctl.load_estate(seed=1, size=40, stack_ratio=0.5)
    assert summary["devices"] == 40 and summary["specials"]["juniper_vc"] == 6
    assert ctl.stats()["total"] == 0
    assert api.json("/devices")["count"] == 40
    with pytest.raises(SimulatorControlError, match="HTTP 400"):
        ctl.load_estate(seed=-1, size=10)


def test_unknown_control_route(sim):
    response = requests.get(sim.url + "/_sim/nothing", timeout=10)
    assert response.status_code == 404 and "routes" in response.json()
