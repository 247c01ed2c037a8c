"""LibreNMSClient.ports / ip_addresses / links and their normalisation, against the real simulator over HTTP.

The simulator runs in-process on 127.0.0.1 for this module only (no NetBox needed). Every quirk of the
reference's "Ports, IP addresses, links and VLANs" is checked as the client and librenms_ports see it.
"""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    LibreNMSAuthError,
    LibreNMSClient,
    LibreNMSNotFoundError,
    LibreNMSResponseError,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import (
    SYNC_PORT_COLUMNS,
    normalize_address,
    normalize_link,
    normalize_port,
)

from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.sync_cases import special_port, sync_cases
from tests.integration.simulators import private_simulator

SEED, SIZE = 42, 300  # the simulator's default of 8 access ports per switch


@pytest.fixture(scope="module")
def server():
    with private_simulator("lnms-ports-", seed=SEED, size=SIZE) as served:
        yield served


@pytest.fixture(scope="module")
def estate():
    """The estate the simulator serves, built in-process (the expected side)."""
    return build_estate(seed=SEED, size=SIZE)


@pytest.fixture(scope="module")
def cases(estate):
    return sync_cases(estate)


@pytest.fixture
def ctl(server):
    server.control.reset()
    yield server.control
    server.control.reset()


@pytest.fixture
def client(server, ctl):
    lnms = LibreNMSClient(server.url, server.token, retries=2)
    yield lnms
    lnms.close()


@pytest.fixture(scope="module")
def whole(server):
    """The estate's ports, addresses and links, normalised, read once for the module."""
    lnms = LibreNMSClient(server.url, server.token)
    try:
        ports = [normalize_port(row) for row in lnms.ports(SYNC_PORT_COLUMNS)]
        addresses = [normalize_address(row) for row in lnms.ip_addresses()]
        links = [normalize_link(row) for row in lnms.links()]
    finally:
        lnms.close()
    return {"ports": {p["port_id"]: p for p in ports}, "addresses": addresses, "links": links}


def test_the_whole_estate_is_three_requests(server, ctl, client):
    client.ports(SYNC_PORT_COLUMNS)
    client.ip_addresses()
    client.links()
    assert client.calls == {"ports": 1, "ip_addresses": 1, "links": 1}
    by_endpoint = ctl.stats()["by_endpoint"]
    assert (by_endpoint["ports"], by_endpoint["ip_addresses"], by_endpoint["links"]) == (1, 1, 1)
    assert ctl.stats()["total"] == 3
    requests = ctl.requests()
    assert requests[0]["query"]["columns"].split(",")[:2] == ["port_id", "device_id"]


def test_every_row_normalises_and_deleted_ports_stay_out(estate, cases, whole):
    stored = [p for p in estate.network.all_ports() if not p["deleted"]]
    assert sorted(whole["ports"]) == [p["port_id"] for p in stored]
    assert not any(p["deleted"] for p in whole["ports"].values())
    orphan = cases["address_on_deleted_port"][0]
    served = [a for a in whole["addresses"] if a["port_id"] == orphan["port_id"]]
    assert served and orphan["port_id"] not in whole["ports"]  # the caller must drop it: its port is gone


def test_port_quirks_through_normalisation(estate, cases, whole):
    ports = whole["ports"]
    assert ports[cases["ignored_ports"][0]["port_id"]]["ignored"] is True
    assert ports[cases["disabled_ports"][0]["port_id"]]["disabled"] is True
    assert ports[cases["zero_speed_ports"][0]["port_id"]]["speed_kbps"] is None
    assert ports[cases["admin_status_null_ports"][0]["port_id"]]["enabled"] is None
    assert ports[cases["empty_mac_ports"][0]["port_id"]]["mac"] is None
    assert ports[cases["mtu_null_ports"][0]["port_id"]]["mtu"] is None
    alias = ports[cases["alias_equals_name"][0]["port_id"]]
    assert alias["ifAlias"] == alias["ifName"]
    member = special_port(estate, "cisco_stack_relpos0", "Te3/0/49")
    port = ports[member["port_id"]]
    assert (port["ifName"], port["ifDescr"], port["speed_kbps"]) == ("Te3/0/49", "TenGigabitEthernet3/0/49", 10**7)
    assert port["mac"] == ":".join(member["ifPhysAddress"][i:i + 2] for i in range(0, 12, 2)).upper()
    speeds = {p["speed_kbps"] for p in ports.values()}
    assert speeds >= {10**6, 10**7, 25 * 10**6, 40 * 10**6, 100 * 10**6}
    assert {p["ifType"] for p in ports.values()} >= {
        "ethernetCsmacd", "ieee8023adLag", "softwareLoopback", "propVirtual", "l2vlan", "tunnel", "other"}
    fpc1 = ports[special_port(estate, "juniper_vc", "xe-1/2/0")["port_id"]]
    assert fpc1["device_id"] == estate.specials["juniper_vc"]


def test_address_quirks_through_normalisation(estate, cases, whole):
    addresses = whole["addresses"]
    families = [a["family"] for a in addresses]
    assert families == sorted(families) and set(families) == {4, 6}  # v4 rows, then v6 rows
    link_local = {a["address"] for a in addresses if a["link_local"]}
    assert {f"{c['address']}/{c['prefixlen']}" for c in cases["link_local_addresses"]} == link_local
    assert all(a["address"].startswith("fe80:") for a in addresses if a["link_local"])
    vrf = {(a["address"], a["context_name"]) for a in addresses if a["context_name"]}
    assert {("172.30.1.1/24", "CUST-A"), ("172.30.1.1/24", "CUST-B")} <= vrf
    device_ip = estate.by_id[1]["ip"]
    assert f"{device_ip}/24" in {a["address"] for a in addresses}
    assert "2001:db8:100:1::1/64" in {a["address"] for a in addresses}  # compressed, with its prefix length


def test_link_quirks_through_normalisation(estate, cases, whole):
    links = whole["links"]
    pairs = {(link["local_port_id"], link["remote_port_id"]) for link in links}
    twice = cases["links_listed_twice"][0]
    assert (twice["local_port_id"], twice["remote_port_id"]) in pairs
    assert (twice["remote_port_id"], twice["local_port_id"]) in pairs
    unresolved = cases["known_device_unresolved_port"][0]
    link = next(lk for lk in links if lk["local_port_id"] == unresolved["local_port_id"])
    far = special_port(estate, "cisco_standalone_stackable", "Gi1/1/1")
    assert (link["remote_port"], link["remote_port_id"], link["remote_device_id"]) == (
        far["ifName"], None, far["device_id"])  # the " (<mac>)" suffix is gone; the name now resolves
    unknown = [lk for lk in links if lk["remote_device_id"] is None]
    assert len(unknown) == len(cases["unknown_neighbours"])
    assert all(lk["remote_port_id"] is None for lk in unknown)  # 0 and null alike
    assert not any(lk["remote_port"].endswith(")") for lk in links)
    assert {lk["protocol"] for lk in links} == {"lldp", "cdp"}


def test_per_device_reads_match_the_estate_and_none_is_empty(estate, ctl, client, whole):
    mine = [normalize_port(row) for row in client.ports(SYNC_PORT_COLUMNS, device_id=1)]
    assert {p["port_id"]: p for p in mine} == {k: v for k, v in whole["ports"].items() if v["device_id"] == 1}
    addresses = [normalize_address(row) for row in client.ip_addresses(1)]
    live = {p["port_id"] for p in mine}
    assert addresses and all(a["port_id"] in live for a in addresses)  # the deleted SVI's address is left out
    links = [normalize_link(row) for row in client.links(1)]
    assert links == [lk for lk in whole["links"] if lk["local_device_id"] == 1]
    no_ports = estate.specials["no_inventory"]
    assert client.ports(["ifName"], device_id=no_ports) == []
    assert client.ip_addresses(no_ports) == []
    assert client.links(no_ports) == []
    assert client.ports(["ifName"], device_id=999999) == []
    assert client.calls == {"ports": 3, "ip_addresses": 2, "links": 2}
    assert ctl.stats()["by_status"] == {"200": 3, "404": 4}


def test_a_hostname_is_refused_before_any_request(ctl, client):
    # LibreNMS answers /devices/<unknown hostname>/links with every link of the estate.
    with pytest.raises(LibrenmsSyncError, match="positive integer"):
        client.links("lon1-stack-sw01.example.net")
    assert ctl.stats()["total"] == 0


def test_invalid_columns_fail_naming_the_server(server, client):
    with pytest.raises(LibreNMSNotFoundError) as raised:
        client.ports(["ifName", "ifNmae"])
    assert raised.value.msg.startswith(f"GET /api/v0/ports on LibreNMS {server.url}: 400 Invalid columns: ifNmae")
    assert "\n" not in raised.value.msg


def test_legacy_string_types_normalise_to_the_same_rows(ctl, client, whole):
    ctl.configure(legacy_types=True)
    ports = {p["port_id"]: p for p in map(normalize_port, client.ports(SYNC_PORT_COLUMNS))}
    assert ports == whole["ports"]
    assert [normalize_link(row) for row in client.links()] == whole["links"]
    assert [normalize_address(row) for row in client.ip_addresses()] == whole["addresses"]


def test_faults_on_the_new_endpoints(server, ctl, client):
    ctl.configure(fail_next=2)
    assert client.links()  # two 503s retried away
    assert ctl.stats()["by_endpoint"]["links"] == 3
    ctl.configure(error_rate=1.0)
    with pytest.raises(LibreNMSResponseError, match="persisted after retries"):
        client.ip_addresses()
    ctl.configure(error_rate=0.0, unauthorized=True)
    with pytest.raises(LibreNMSAuthError, match=r"GET /api/v0/ports on LibreNMS .*401"):
        client.ports(SYNC_PORT_COLUMNS)
    ctl.configure(unauthorized=False, not_json=True)
    with pytest.raises(LibreNMSResponseError, match="not JSON"):
        client.links(1)


def test_request_count_does_not_grow_with_the_estate(server, ctl):
    ctl.load_estate(SEED, 2 * SIZE, front_ports=4)
    lnms = LibreNMSClient(server.url, server.token)
    try:
        assert len(lnms.ports(SYNC_PORT_COLUMNS)) > 2 * SIZE and lnms.ip_addresses() and lnms.links()
        assert lnms.calls == {"ports": 1, "ip_addresses": 1, "links": 1}
    finally:
        lnms.close()
        ctl.load_estate(SEED, SIZE)
