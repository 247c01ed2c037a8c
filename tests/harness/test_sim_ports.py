"""The simulator's ports, IP addresses and links: the API quirks of the reference, the estate's cases."""

from __future__ import annotations

import ipaddress

import pytest

from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.sync_cases import special_port, sync_cases

SYNC_COLUMNS = "port_id,device_id,ifName,ifDescr,ifAlias,ifType,ifSpeed,ifMtu,ifAdminStatus,ifPhysAddress,deleted"


@pytest.fixture(scope="module")
def cases(estate):
    return sync_cases(estate)


def test_estate_ports_default_columns_no_count_and_no_deleted_port(api, estate, cases):
    body = api.json("/ports")
    assert set(body) == {"status", "ports"}  # port endpoints send no count
    assert all(list(row) == ["port_id", "ifName"] for row in body["ports"])
    served = {row["port_id"] for row in body["ports"]}
    stored = estate.network.all_ports()
    assert served == {p["port_id"] for p in stored if not p["deleted"]}
    assert not served & {c["port_id"] for c in cases["deleted_ports"]}
    assert served >= {c["port_id"] for c in cases["ignored_ports"] + cases["disabled_ports"]}


@pytest.mark.parametrize("columns, invalid", [
    ("port_id, ifName", " ifName"),  # no trimming: a space makes the column unknown
    ("port_id,bogus,ifName", "bogus"),
    ("port_id,", ""),
    ("role", "role"),  # the simulator's own bookkeeping is no column
])
def test_columns_are_checked_against_the_schema(api, columns, invalid):
    for path in ("/ports", "/devices/1/ports"):
        answer = api.get(path, columns=columns)
        assert answer.status_code == 400, path
        assert answer.json() == {"status": "error", "message": f"Invalid columns: {invalid}"}


def test_sync_columns_on_both_port_routes(api):
    rows = api.json("/ports", columns=SYNC_COLUMNS)["ports"]
    assert all(list(row) == SYNC_COLUMNS.split(",") for row in rows)
    mine = api.json("/devices/1/ports", columns=SYNC_COLUMNS)["ports"]
    assert mine == [row for row in rows if row["device_id"] == 1]
    assert api.json("/devices/lon1-stack-sw01.example.net/ports", columns="port_id")["ports"] == [
        {"port_id": row["port_id"]} for row in mine]


@pytest.mark.parametrize("device", ["10", "99999", "no-such-host"])
def test_a_device_without_ports_is_a_404(api, device):
    answer = api.get(f"/devices/{device}/ports")
    assert answer.status_code == 404 and answer.json()["message"] == "No ports found"


def test_addresses_v4_then_v6_with_their_own_keys_and_the_family_suffixes(api, estate, cases):
    rows = api.json("/resources/ip/addresses")["ip_addresses"]
    families = ["ipv4_address" in row for row in rows]
    assert families == sorted(families, reverse=True) and not families[-1]
    assert set(rows[0]) == {"ipv4_address_id", "ipv4_address", "ipv4_prefixlen", "ipv4_network_id", "port_id",
                            "context_name"}
    assert set(rows[-1]) == {"ipv6_address_id", "ipv6_address", "ipv6_compressed", "ipv6_prefixlen",
                             "ipv6_origin", "ipv6_network_id", "port_id", "context_name"}
    v4 = api.json("/resources/ip/addresses/ipv4")["ip_addresses"]
    v6 = api.json("/resources/ip/addresses/ipv6")["ip_addresses"]
    assert v4 + v6 == rows
    assert {r["ipv6_origin"] for r in v6} >= {"manual", "linklayer"}
    assert all(ipaddress.ip_address(r["ipv6_address"]).compressed == r["ipv6_compressed"] for r in v6)
    deleted = cases["address_on_deleted_port"][0]
    assert deleted["port_id"] in {r["port_id"] for r in rows}  # the estate-wide list keeps deleted ports' rows
    assert deleted["address"] not in {r.get("ipv4_address") for r in api.json("/devices/1/ip")["addresses"]}


def test_old_servers_have_no_family_suffix(api, ctl):
    ctl.configure(old_server=True)
    assert api.get("/resources/ip/addresses/ipv4").status_code == 404
    assert api.get("/resources/ip/addresses").status_code == 200


def test_device_ip_and_its_404(api, estate):
    rows = api.json("/devices/1/ip")["addresses"]
    assert rows[0]["ipv4_address"] == estate.by_id[1]["ip"]
    assert any("ipv6_address" in row for row in rows)
    for device in ("10", "23", "99999"):
        assert api.get(f"/devices/{device}/ip").status_code == 404


def test_links_both_directions_and_the_hostname_quirk(api, estate, cases):
    links = api.json("/resources/links")["links"]
    assert len(links) == len(estate.network.links())
    ends = {(r["local_port_id"], r["remote_port_id"]) for r in links}
    for twice in cases["links_listed_twice"]:
        assert (twice["remote_port_id"], twice["local_port_id"]) in ends
    assert api.json("/devices/1/links")["links"] == [r for r in links if r["local_device_id"] == 1]
    assert api.json("/devices/no-such-host/links")["links"] == links  # an unknown hostname filters nothing
    assert api.get("/devices/10/links").status_code == 404
    assert api.get("/devices/99999/links").status_code == 404
    unknown = [r for r in links if r["remote_device_id"] == 0]
    assert {r["remote_port_id"] for r in unknown} == {0, None}
    assert any(r["remote_port"].endswith(")") for r in unknown)


def test_legacy_servers_send_strings_everywhere(api, ctl):
    ctl.configure(legacy_types=True)
    port = api.json("/ports", columns="port_id,ifSpeed")["ports"][0]
    assert isinstance(port["port_id"], str) and isinstance(port["ifSpeed"], str)
    assert isinstance(api.json("/resources/links")["links"][0]["local_port_id"], str)


def test_the_special_cases_are_where_portspecials_puts_them(estate, cases):
    vc = special_port(estate, "juniper_vc", "xe-1/2/0")
    assert vc["member"] == 1 and vc["port_id"] in {c["port_id"] for c in cases["juniper_fpc_ports"]}
    stack = special_port(estate, "cisco_stack_relpos0", "Gi3/0/2")
    assert stack["disabled"] == 1
    assert next(c for c in cases["stack_member_ports"] if c["port_id"] == stack["port_id"])["member"] == 3
    for name in ("stack_member_ports", "juniper_fpc_ports", "disabled_ports", "ignored_ports", "deleted_ports",
                 "address_on_deleted_port", "ipv6_addresses", "link_local_addresses", "vrf_addresses",
                 "links_listed_twice", "unresolved_far_ends", "unknown_neighbours", "devices_without_ports",
                 "lag_ports", "virtual_ports", "alias_equals_name", "empty_mac_ports", "zero_speed_ports",
                 "admin_status_null_ports", "duplicate_addresses", "primary_ip_not_on_device",
                 "known_device_unresolved_port", "port_with_two_neighbours"):
        assert cases[name], name
    speeds = {c["ifSpeed"] for c in cases["speed_examples"]}
    assert speeds >= {10**9, 10 * 10**9, 25 * 10**9, 40 * 10**9, 100 * 10**9, 0}
    assert {c["context_name"] for c in cases["vrf_addresses"]} >= {"CUST-A", "CUST-B", "Mgmt-vrf"}


def test_the_smallest_estate_still_has_every_case():
    small = sync_cases(build_estate(seed=7, size=0, front_ports=4))
    for name in ("stack_member_ports", "juniper_fpc_ports", "links_listed_twice", "unknown_neighbours",
                 "address_on_deleted_port", "known_device_unresolved_port", "port_with_two_neighbours"):
        assert small[name], name


def test_front_ports_scale_the_estate_and_the_answer_is_deterministic():
    wide = build_estate(seed=42, size=40, front_ports=44)
    again = build_estate(seed=42, size=40, front_ports=44)
    assert wide.network.all_ports() == again.network.all_ports()
    assert wide.network.links() == again.network.links()
    assert len(wide.network.all_ports()) > 2 * len(build_estate(seed=42, size=40).network.all_ports())
    with pytest.raises(ValueError, match="front_ports"):
        build_estate(size=1, front_ports=2)


def test_the_estate_route_takes_front_ports(ctl):
    summary = ctl.load_estate(42, 50, front_ports=12)
    assert summary["front_ports"] == 12 and summary["devices"] == 50
    with pytest.raises(Exception, match="front_ports"):
        ctl.load_estate(42, 50, front_ports=1000)
