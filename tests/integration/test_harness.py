"""The harness is real: NetBox, PostgreSQL, Redis and the LibreNMS simulator answer over real sockets."""

from __future__ import annotations

import uuid

import psutil
import pytest
import redis
import requests

from harness.settings import load_settings


def test_netbox_create_site_and_read_it_back_over_http(services, netbox):
    slug = f"harness-{uuid.uuid4().hex[:8]}"
    site = netbox.dcim.sites.create(name=slug.upper(), slug=slug, status="active")
    try:
        for header in (f"Token {services['netbox']['token_v1']}", f"Bearer {services['netbox']['token_v2']}"):
            answer = requests.get(
                f"{services['netbox']['url']}/api/dcim/sites/", params={"slug": slug},
                headers={"Authorization": header, "Accept": "application/json"}, timeout=30,
            )
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["count"] == 1
            assert body["results"][0]["id"] == site.id
            assert body["results"][0]["name"] == slug.upper()
    finally:
        site.delete()
    assert netbox.dcim.sites.get(slug=slug) is None


def test_netbox_rejects_a_bad_token(services):
    answer = requests.get(f"{services['netbox']['url']}/api/dcim/sites/",
                          headers={"Authorization": "Token " + "0" * 40}, timeout=30)
    assert answer.status_code == 403


def test_librenms_simulator_serves_the_estate_in_its_envelope(services, librenms):
    settings = load_settings()
    answer = requests.get(f"{services['librenms']['url']}/api/v0/devices",
                          headers={"X-Auth-Token": services["librenms"]["token"]}, timeout=30)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["count"] == len(body["devices"]) == settings.librenms_size
    assert "message" not in body
    assert librenms.stats()["by_endpoint"]["list_devices"] == 1


def test_librenms_simulator_fault_switches(services, librenms):
    url = f"{services['librenms']['url']}/api/v0/devices"
    headers = {"X-Auth-Token": services["librenms"]["token"]}
    librenms.configure(unauthorized=True)
    answer = requests.get(url, headers=headers, timeout=30)
    assert answer.status_code == 401
    assert answer.json() == {"message": "Unauthenticated."}
    librenms.reset()
    librenms.configure(fail_next=1)
    assert requests.get(url, headers=headers, timeout=30).status_code == 503
    assert requests.get(url, headers=headers, timeout=30).status_code == 200
    assert librenms.stats()["by_status"] == {"503": 1, "200": 1}


def test_redis_answers_on_the_collection_database(services):
    client = redis.Redis.from_url(services["redis"]["url"])
    key = f"harness-test-{uuid.uuid4().hex}"
    client.set(key, "value", ex=60)
    assert client.get(key) == b"value"
    assert client.connection_pool.connection_kwargs["db"] == 2
    client.delete(key)


@pytest.mark.parametrize("service", ["redis", "postgres", "netbox", "librenms"])
def test_services_listen_on_loopback_only(services, service):
    settings = load_settings()
    port = {"redis": settings.redis_port, "postgres": settings.postgres_port,
            "netbox": settings.netbox_port, "librenms": settings.librenms_port}[service]
    listeners = [
        c for c in psutil.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert listeners, f"nothing listens on port {port}"
    assert {c.laddr.ip for c in listeners} == {"127.0.0.1"}
