"""librenms_device_sync against real NetBox and the LibreNMS simulator, through real ansible-playbook runs.

A private simulator (seed 42, 60 devices) is imported with librenms_device_import, then synced: a check run,
the real run and a re-run, counting NetBox change-log entries around each. Later tests change NetBox (a person's
interface, a cable a person laid, a VRF map) and sync again. The module ends with nothing of its own in NetBox.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
import zlib
from types import SimpleNamespace

import pytest
import redis
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status
from rq.job import Job

from harness import netbox_estate as nbe
from harness import netbox_service
from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.sync_cases import sync_cases
from harness.settings import load_settings
from tests.integration import import_helpers as ih
from tests.integration.simulators import estate_rows, private_env, private_simulator
from tests.integration.test_device_import import stop_netbox_keeping_data
from tests.integration.workers import Workers

pytestmark = pytest.mark.integration

SYNC = "netbox_librenms.sync.librenms_device_sync"
IMPORT = "netbox_librenms.sync.librenms_device_import"
SEED = 42
SIZE = 60
VM_ID = 11
PERSON_INTERFACE = "person-made-eth99"
VRFS = {"CUST-A": "dsy-vrf-a", "CUST-B": "dsy-vrf-b"}
WRITES = ("created", "updated", "deleted")


def import_args() -> dict:
    return {"all_devices": True, "site_map": nbe.SITE_MAP, "device_type_map": nbe.DEVICE_TYPE_MAP,
            "role": nbe.DEFAULT_ROLE, "selections": {str(VM_ID): {"as_vm": True, "cluster": nbe.CLUSTER}},
            "background": "never"}


def sync_args(**overrides) -> dict:
    args = {"all_devices": True, "background": "never", "batch_size": 50}
    args.update(overrides)
    return args


def host(address) -> str:
    return str(address).split("/", maxsplit=1)[0]


def totals(result: dict) -> dict:
    return {kind: {outcome: counts[outcome] for outcome in WRITES} for kind, counts in result["counts"].items()}


def interfaces_of(netbox, device_ids) -> list:
    return [dict(i) for i in netbox.dcim.interfaces.filter(device_id=list(device_ids), limit=1000)]


def clean(netbox) -> None:
    """The VRFs of the vrf_map test and their addresses, then what the import made (its cables and addresses
    first); cables another module left with an empty end would otherwise count as ours."""
    orphans = [c.id for c in netbox.dcim.cables.all(limit=1000) if not (c.a_terminations and c.b_terminations)]
    if orphans:
        netbox.dcim.cables.delete(orphans)
    vrfs = [vrf.id for vrf in netbox.ipam.vrfs.filter(name=list(VRFS.values()))]
    if vrfs:
        for record in netbox.ipam.ip_addresses.filter(vrf_id=vrfs, limit=1000):
            record.delete()
        netbox.ipam.vrfs.delete(vrfs)
    ih.wipe_imports(netbox)


@pytest.fixture(scope="module")
def sim():
    with private_simulator("dsy", SEED, SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def rows():
    return estate_rows(SEED, SIZE)


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    return private_env(ansible_env, sim)


@pytest.fixture(scope="module")
def runner(env, tmp_path_factory, services, sim):
    workdir = tmp_path_factory.mktemp("device-sync")
    hidden = [SECRET_MARKER, sim.token, services["netbox"]["token_v2"], services["netbox"]["token_v1"]]

    def one(module, args, *extra):
        result = ih.run_loop(env, workdir, module, [args], *extra)[0]
        text = json.dumps(result)
        assert not any(secret in text for secret in hidden)
        return result

    return one


@pytest.fixture(scope="module")
def world(netbox, rows, runner):
    """The reference estate, every ready device imported, and the VRFs of the vrf_map test."""
    clean(netbox)
    ih.remove_tagged(netbox)
    by_id = rows.by_id
    nbe.build_estate(netbox, serials={i: by_id[i]["serial"] for i in range(24, 32)},
                     ips={i: by_id[i]["ip"] for i in range(24, 32)})
    imported = runner(IMPORT, import_args())
    assert imported.get("failed") is not True, imported.get("msg")
    assert imported["created"], {k: v for k, v in imported.items() if not k.startswith("_")}
    for name in VRFS.values():
        netbox.ipam.vrfs.create(name=name)
    try:
        yield SimpleNamespace(imported=imported)
    finally:
        clean(netbox)
        ih.remove_tagged(netbox)
        nbe.remove_estate(netbox)


@pytest.fixture(scope="module")
def main(world, netbox, runner, sim):
    """A check run, the real run and a re-run, with the change-log count before and after each."""
    sim.control.reset()
    counts = [ih.change_count(netbox)]
    check = runner(SYNC, sync_args(), "--check", "--diff")
    counts.append(ih.change_count(netbox))
    real = runner(SYNC, sync_args())
    counts.append(ih.change_count(netbox))
    rerun = runner(SYNC, sync_args())
    counts.append(ih.change_count(netbox))
    for result in (check, real, rerun):
        assert result.get("failed") is not True, result.get("msg")
    return SimpleNamespace(check=check, real=real, rerun=rerun, counts=counts)


def linked_devices(netbox) -> dict:
    """LibreNMS id -> NetBox device (the master of a stack), with its primary IPs."""
    devices = [dict(d) for d in netbox.dcim.devices.filter(fields="id,name,custom_fields,primary_ip4,primary_ip6,"
                                                                  "virtual_chassis,vc_position", limit=1000)]
    return {ih.librenms_id_of(d): d for d in devices if ih.librenms_id_of(d) is not None}


# --------------------------------------------------------------------------------------------------------------
# The main runs


def test_real_run_writes_every_kind_and_reports_changed(main):
    written = totals(main.real)
    assert main.real["changed"] is True, {k: v for k, v in main.real.items() if not k.startswith("_")}
    for kind in ("interfaces", "mac_addresses", "primary_macs", "ip_addresses", "primary_ips"):
        assert written[kind]["created"] + written[kind]["updated"] > 0, kind
    assert main.real["failures"] == []
    assert main.counts[2] > main.counts[1]


def test_check_mode_writes_nothing_and_predicts_the_real_run(main):
    assert main.counts[1] == main.counts[0]
    assert totals(main.check) == totals(main.real)
    assert main.check["changed"] is True
    assert main.check["diff"], "diff mode shows per device what would change"


def test_rerun_changes_nothing(main):
    assert main.rerun["changed"] is False
    assert main.counts[3] == main.counts[2]
    assert all(not any(counts.values()) for counts in totals(main.rerun).values())


def test_whole_estate_takes_at_most_five_librenms_requests(main):
    calls = main.real["api_calls"]["librenms"]
    assert main.real["librenms_endpoints"] == "estate"
    assert sum(calls.values()) <= 5, calls


def test_per_device_summary(main):
    names = {device["name"] for device in main.real["devices"]}
    assert len(names) == len(main.real["devices"]) >= 10
    for device in main.real["devices"]:
        assert set(device) == {"name", "kind", "netbox_id", "librenms_id", "counts"}


def test_interfaces_carry_their_port_id(main, netbox):
    devices = linked_devices(netbox)
    interfaces = interfaces_of(netbox, [d["id"] for d in devices.values()])
    assert interfaces
    for interface in interfaces:
        port = (interface["custom_fields"].get("librenms_id") or {}).get("default")
        assert isinstance(port, int), interface["name"]


def test_primary_ip_is_the_management_address(main, netbox, rows):
    devices = linked_devices(netbox)
    with_primary = 0
    for librenms_id, device in devices.items():
        if device.get("primary_ip4"):
            with_primary += 1
            assert host(device["primary_ip4"]["address"]) == rows.by_id[librenms_id]["ip"]
    assert with_primary >= len(devices) // 2


# --------------------------------------------------------------------------------------------------------------
# What a person made stays


def test_person_made_interface_is_untouched_and_never_deleted(main, netbox, runner):
    device = next(iter(linked_devices(netbox).values()))
    person = netbox.dcim.interfaces.create(device=device["id"], name=PERSON_INTERFACE, type="1000base-t",
                                           description="laid by a person")
    ours = netbox.dcim.interfaces.create(device=device["id"], name="gone-from-librenms", type="virtual",
                                         custom_fields={"librenms_id": {"default": 999999}})
    before = dict(netbox.dcim.interfaces.get(person.id))
    result = runner(SYNC, sync_args(delete_missing=True))
    assert result.get("failed") is not True, result.get("msg")
    after = netbox.dcim.interfaces.get(person.id)
    assert after is not None and dict(after)["last_updated"] == before["last_updated"]
    assert netbox.dcim.interfaces.get(ours.id) is None
    assert result["counts"]["interfaces"]["deleted"] == 1
    person.delete()


def whole_cables(netbox) -> list:
    """Cables with both ends (clean() removed any with an empty end, so these are the sync's)."""
    return [cable for cable in netbox.dcim.cables.all(limit=1000) if cable.a_terminations and cable.b_terminations]


def test_a_cabled_end_is_not_rewired(main, netbox, runner):
    cables = whole_cables(netbox)
    if not cables:
        pytest.skip("the simulator's estate has no link between synced devices")
    cable = cables[0]
    end = cable.a_terminations[0]
    device_id = end.device.id
    netbox.dcim.cables.delete([cable.id])
    spare = netbox.dcim.interfaces.create(device=device_id, name="person-patch", type="1000base-t")
    laid = netbox.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": end.id}],
                                     b_terminations=[{"object_type": "dcim.interface", "object_id": spare.id}])
    result = runner(SYNC, sync_args())
    assert result.get("failed") is not True, result.get("msg")
    assert any(c["kind"] == "cables" and "already cabled elsewhere" in c["reason"] for c in result["conflicts"])
    kept = netbox.dcim.cables.get(laid.id)
    assert [t.id for t in kept.b_terminations] == [spare.id]
    netbox.dcim.cables.delete([laid.id])
    spare.delete()
    assert runner(SYNC, sync_args())["counts"]["cables"]["created"] == 1


def test_bad_option_fails_in_one_line_before_writing(main, netbox, runner):
    before = ih.change_count(netbox)
    result = runner(SYNC, sync_args(interface_filter={"include": ["("]}))
    assert result.get("failed") is True and "interface_filter.include" in result["msg"]
    assert "\n" not in result["msg"] and "Traceback" not in result.get("_stdout", "")
    result = runner(SYNC, sync_args(vrf_map={"x": "no-such-vrf"}))
    assert result.get("failed") is True and "vrf_map.x" in result["msg"]
    assert ih.change_count(netbox) == before


# --------------------------------------------------------------------------------------------------------------
# Every special case of the simulator's estate (harness/librenms_sim/sync_cases.py)


@pytest.fixture(scope="module")
def cases():
    return sync_cases(build_estate(seed=SEED, size=SIZE))


@pytest.fixture(scope="module")
def state(main, netbox):
    """NetBox after the main runs: linked devices, interfaces by port id, addresses by host, cables by interface."""
    devices = linked_devices(netbox)
    fields = "id,name,virtual_chassis,vc_position"
    all_devices = {d.id: dict(d) for d in netbox.dcim.devices.filter(fields=fields, limit=1000)}
    interfaces = [dict(i) for i in netbox.dcim.interfaces.all(limit=1000)]
    by_port = {i["custom_fields"]["librenms_id"]["default"]: i for i in interfaces
               if isinstance(i["custom_fields"].get("librenms_id"), dict)}
    addresses = {}
    for record in netbox.ipam.ip_addresses.all(limit=1000):
        addresses.setdefault(host(record.address), []).append(dict(record))
    return SimpleNamespace(devices=devices, all_devices=all_devices, by_port=by_port, addresses=addresses,
                           result=main.real)


def synced(state, entry) -> bool:
    return entry["device_id"] in state.devices


def test_stack_and_fpc_ports_land_on_their_members(state, cases):
    checked = 0
    for entry in cases["stack_member_ports"] + cases["juniper_fpc_ports"]:
        interface = state.by_port.get(entry["port_id"])
        if not synced(state, entry) or interface is None:
            continue
        master = state.devices[entry["device_id"]]
        member = state.all_devices[interface["device"]["id"]]
        position = entry.get("position", entry.get("member"))
        if master.get("virtual_chassis") is None:
            assert member["id"] == master["id"]
            continue
        assert member["virtual_chassis"]["id"] == master["virtual_chassis"]["id"], entry
        assert member["vc_position"] == position, entry
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("case", ["ignored_ports", "disabled_ports", "deleted_ports"])
def test_marked_ports_are_not_synced(state, cases, case):
    entries = [entry for entry in cases[case] if synced(state, entry)]
    assert entries
    assert all(entry["port_id"] not in state.by_port for entry in entries)


def test_port_fields(state, cases):
    for entry in cases["alias_equals_name"]:
        if entry["port_id"] in state.by_port:
            assert state.by_port[entry["port_id"]]["description"] == ""
    for entry in cases["speed_examples"]:
        if entry["port_id"] in state.by_port:
            assert state.by_port[entry["port_id"]]["speed"] == ((entry["ifSpeed"] or 0) // 1000 or None)
    for entry in cases["mtu_examples"]:
        if entry["port_id"] in state.by_port:
            assert state.by_port[entry["port_id"]]["mtu"] == entry["ifMtu"]
    for entry in cases["lag_ports"]:
        if entry["port_id"] in state.by_port:
            assert state.by_port[entry["port_id"]]["type"]["value"] == "lag"
            assert state.by_port[entry["port_id"]]["cable"] is None
    for entry in cases["empty_mac_ports"]:
        if entry["port_id"] in state.by_port:
            assert state.by_port[entry["port_id"]]["primary_mac_address"] is None


def test_macs_are_primary_on_their_interface(state, cases):
    with_mac = [i for i in state.by_port.values() if i.get("primary_mac_address")]
    assert len(with_mac) > 50


def test_addresses(state, cases):
    assert not any(entry["address"] in state.addresses for entry in cases["address_on_deleted_port"])
    assert not any(entry["address"] in state.addresses for entry in cases["link_local_addresses"])
    ipv6 = [entry for entry in cases["ipv6_addresses"] if entry["port_id"] in state.by_port]
    assert ipv6 and all(entry["address"] in state.addresses for entry in ipv6)
    for entry in ipv6:
        record = state.addresses[entry["address"]][0]
        assert record["assigned_object_id"] == state.by_port[entry["port_id"]]["id"]
        assert record["address"].endswith(f"/{entry['prefixlen']}")


def test_duplicate_address_is_created_once_and_reported(state, cases):
    for entry in cases["duplicate_addresses"]:
        linked = [device_id for device_id in entry["device_ids"] if device_id in state.devices]
        if len(linked) < 2 or entry["context_name"]:
            continue
        assert len(state.addresses.get(entry["address"], [])) == 1
        assert any(entry["address"] in c["object"] for c in state.result["conflicts"])


def test_primary_ip_not_on_the_device_is_a_warning(state, cases):
    for entry in cases["primary_ip_not_on_device"]:
        if entry["device_id"] in state.devices:
            device = state.devices[entry["device_id"]]
            assert device["primary_ip4"] is None
            assert any(device["name"] in w and "primary IP left alone" in w for w in state.result["warnings"])


def test_a_vm_gets_vm_interfaces_and_addresses(state, netbox):
    vm = next((v for v in netbox.virtualization.virtual_machines.filter(limit=1000)
               if ih.librenms_id_of(dict(v)) == VM_ID), None)
    assert vm is not None, "the import made LibreNMS device 11 a VM"
    interfaces = list(netbox.virtualization.interfaces.filter(virtual_machine_id=vm.id, limit=1000))
    assert interfaces and all(isinstance(i.custom_fields["librenms_id"], dict) for i in interfaces)
    summary = next(d for d in state.result["devices"] if d["kind"] == "vm")
    assert summary["counts"]["interfaces"]["created"] == len(interfaces)
    assert not summary["counts"].get("cables", {}).get("created")


def test_device_without_ports_syncs_nothing_and_fails_nothing(state, cases):
    for entry in cases["devices_without_ports"]:
        if entry["device_id"] in state.devices:
            summary = next(d for d in state.result["devices"] if d["librenms_id"] == entry["device_id"])
            assert not summary["counts"].get("interfaces", {}).get("created")


def cable_peer(state, port_id):
    interface = state.by_port.get(port_id)
    if interface is None or not interface.get("cable"):
        return None
    peers = interface.get("link_peers") or []
    return peers[0]["id"] if peers else None


def test_links_listed_twice_make_one_cable(state, cases, netbox):
    checked = 0
    for entry in cases["links_listed_twice"]:
        local, remote = state.by_port.get(entry["local_port_id"]), state.by_port.get(entry["remote_port_id"])
        if local is None or remote is None or "lag" in (local["type"]["value"], remote["type"]["value"]):
            continue
        if [c for c in cases["port_with_two_neighbours"] if c["local_port_id"] == entry["local_port_id"]]:
            continue
        assert cable_peer(state, entry["local_port_id"]) == remote["id"], entry
        checked += 1
    assert checked >= 2
    assert state.result["counts"]["cables"]["created"] == len(whole_cables(netbox))


def test_far_port_named_with_the_mac_suffix_resolves_by_name(state, cases):
    for entry in cases["known_device_unresolved_port"]:
        if entry["local_device_id"] in state.devices and entry["remote_device_id"] in state.devices:
            peer = cable_peer(state, entry["local_port_id"])
            assert peer is not None
            assert next(i for i in state.by_port.values() if i["id"] == peer)["name"] == \
                entry["remote_port"].split(" (", maxsplit=1)[0]


def test_unknown_neighbours_take_no_cable_and_two_neighbours_one(state, cases):
    uncabled = {entry["port"] for entry in state.result["unresolved_links"]}
    assert len([w for w in state.result["warnings"] if "not cabled" in w]) == 1, "one warning sums them up"
    for entry in cases["unknown_neighbours"]:
        interface = state.by_port.get(entry["local_port_id"])
        assert interface is None or interface["name"] in uncabled, entry
        heard = [c for c in cases["port_with_two_neighbours"] if c["local_port_id"] == entry["local_port_id"]]
        if interface is not None and not heard:
            linked_elsewhere = [c for c in cases["links_listed_twice"] if entry["local_port_id"] in
                                (c["local_port_id"], c["remote_port_id"])]
            if not linked_elsewhere:
                assert interface["cable"] is None, entry
    ports = {entry["local_port_id"] for entry in cases["port_with_two_neighbours"]}
    for port_id in ports:
        if port_id in state.by_port and all(c["remote_device_id"] in state.devices
                                            for c in cases["port_with_two_neighbours"]):
            assert any("another link" in c["reason"] for c in state.result["conflicts"])


def test_vrf_map_puts_context_addresses_in_their_vrf(main, netbox, runner, cases, state):
    contexts = sorted({entry["context_name"] for entry in cases["vrf_addresses"] if synced(state, entry)
                       and entry["port_id"] in state.by_port})
    assert contexts
    vrf_map = {context: VRFS["CUST-A"] for context in contexts}
    result = runner(SYNC, sync_args(vrf_map=vrf_map))
    assert result.get("failed") is not True, result.get("msg")
    vrf = netbox.ipam.vrfs.get(name=VRFS["CUST-A"])
    in_vrf = {host(r.address) for r in netbox.ipam.ip_addresses.filter(vrf_id=vrf.id, limit=1000)}
    for entry in cases["vrf_addresses"]:
        if entry["port_id"] in state.by_port:
            assert entry["address"] in in_vrf or any(entry["address"] in c["object"] for c in result["conflicts"])
    assert result["counts"]["ip_addresses"]["created"] > 0
    again = runner(SYNC, sync_args(vrf_map=vrf_map))
    assert again["changed"] is False


# --------------------------------------------------------------------------------------------------------------
# NetBox reads, concurrency and background mode


def test_netbox_reads_do_not_grow_with_the_devices(main, runner, state):
    few = sorted(state.devices)[:12]
    some = runner(SYNC, sync_args(all_devices=False, devices=few))
    every = main.rerun
    reads = [result["api_calls"]["netbox"] - result["api_calls"]["netbox_writes"] for result in (some, every)]
    assert len(every["devices"]) > 2 * len(few)
    # The whole estate may take more pages (1000 interfaces) and more address chunks (100 hosts), nothing more.
    pages = math.ceil(len(state.by_port) / 1000) + math.ceil(len(state.addresses) / 100)
    assert reads[0] <= reads[1] <= reads[0] + pages, (reads, pages)


def fresh_devices(netbox, state, count: int, skip: int = 0):
    """LibreNMS ids of `count` linked devices, and the NetBox ids of them and their members, their interfaces and
    cables deleted (so a sync creates them again)."""
    chosen = sorted(state.devices)[skip:skip + count]
    chassis = {(state.devices[i].get("virtual_chassis") or {}).get("id") for i in chosen} - {None}
    device_ids = [state.devices[i]["id"] for i in chosen]
    device_ids += [d["id"] for d in state.all_devices.values()
                   if (d.get("virtual_chassis") or {}).get("id") in chassis and d["id"] not in device_ids]
    for endpoint in (netbox.dcim.cables, netbox.dcim.interfaces):
        ids = [r.id for r in endpoint.filter(device_id=device_ids, limit=1000)]
        if ids:
            endpoint.delete(ids)
    return chosen, device_ids


def assert_each_once(netbox, device_ids) -> None:
    interfaces = [dict(i) for i in netbox.dcim.interfaces.filter(device_id=device_ids, limit=1000)]
    assert interfaces
    names = [(i["device"]["id"], i["name"]) for i in interfaces]
    assert len(names) == len(set(names))
    macs = [(m.assigned_object_id, str(m.mac_address)) for m in
            netbox.dcim.mac_addresses.filter(device_id=device_ids, limit=1000)]
    assert len(macs) == len(set(macs)), "a MAC object twice on one interface"
    hosts = [(host(a.address), a.vrf.id if a.vrf else None)
             for a in netbox.ipam.ip_addresses.filter(device_id=device_ids, limit=1000)]
    assert len(hosts) == len(set(hosts))


def test_two_concurrent_syncs_leave_every_object_once(main, netbox, env, tmp_path, state):
    chosen, device_ids = fresh_devices(netbox, state, 4)
    runs = [ih.BackgroundRun(env, tmp_path, SYNC, sync_args(all_devices=False, devices=chosen)) for _run in range(2)]
    results = [run.result() for run in runs]
    for result in results:
        assert result.get("failed") is not True, result.get("msg")
        assert result["failures"] == [], result["failures"][:3]
    assert_each_once(netbox, device_ids)
    settled = ih.run_loop(env, tmp_path, SYNC, [sync_args(all_devices=False, devices=chosen)])[0]
    assert settled["counts"]["interfaces"]["created"] == 0 and settled["failures"] == []


def test_netbox_restart_mid_sync_then_rerun(main, netbox, env, tmp_path, state):
    chosen, device_ids = fresh_devices(netbox, state, 6, skip=4)
    settings = load_settings()
    run = ih.BackgroundRun(env, tmp_path, SYNC, sync_args(all_devices=False, devices=chosen, batch_size=5))
    stopped = restarted = False
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and run.proc.poll() is None:
            if netbox.dcim.interfaces.count(device_id=device_ids):  # writes are under way
                stop_netbox_keeping_data(settings)
                stopped = True
                time.sleep(1)
                netbox_service.serve_netbox(settings)
                restarted = True
                break
            time.sleep(0.05)
        first = run.result()
    finally:
        run.kill()
        if stopped and not restarted:
            netbox_service.serve_netbox(settings)
    assert restarted, "the sync finished before any write was seen"
    assert "Traceback" not in first["_stdout"] and "module_stderr" not in first
    second = ih.run_loop(env, tmp_path, SYNC, [sync_args(all_devices=False, devices=chosen)])[0]
    assert second.get("failed") is not True, second.get("msg")
    assert second["failures"] == []
    assert_each_once(netbox, device_ids)
    third = ih.run_loop(env, tmp_path, SYNC, [sync_args(all_devices=False, devices=chosen)])[0]
    assert third["changed"] is False


@pytest.fixture()
def workers(services, sim, tmp_path):
    manager = Workers(services["redis"]["url"], {
        "LIBRENMS_URL": sim.url, "LIBRENMS_TOKEN": sim.token,
        "NETBOX_URL": services["netbox"]["url"], "NETBOX_TOKEN": services["netbox"]["token_v2"]}, tmp_path)
    yield manager
    started = list(manager.started)
    manager.stop_all()
    assert manager.alive(started) == []


def test_background_sync_runs_in_a_worker_and_keeps_no_secret_in_redis(main, runner, workers, services, sim):
    workers.start()
    waited = runner(SYNC, sync_args(background="always", wait=True, redis_url=services["redis"]["url"]))
    assert waited.get("failed") is not True, waited.get("msg")
    assert waited["job"]["status"] == "finished"
    assert waited["changed"] is False
    assert all(not any(counts.values()) for counts in totals(waited).values())
    assert len(waited["devices"]) == len(main.rerun["devices"])
    connection = redis.Redis.from_url(services["redis"]["url"])
    for key in connection.scan_iter("rq:job:*"):
        if connection.type(key) != b"hash":
            continue
        for stored in connection.hgetall(key).values():
            text = stored
            with contextlib.suppress(zlib.error):
                text = zlib.decompress(stored)
            assert sim.token.encode() not in text
            assert services["netbox"]["token_v2"].encode() not in text


def test_stopping_a_background_sync_writes_nothing_after_the_batch_under_way(
        main, netbox, runner, workers, services, state):
    chosen, _device_ids = fresh_devices(netbox, state, 6, skip=12)
    workers.start()
    redis_url = services["redis"]["url"]
    queued = runner(SYNC, sync_args(all_devices=False, devices=chosen, background="always", redis_url=redis_url,
                                    batch_size=1))
    assert queued.get("failed") is not True and queued["changed"] is True, queued.get("msg")
    job = Job.fetch(queued["job"]["id"], connection=redis.Redis.from_url(redis_url))
    deadline = time.monotonic() + 120
    while not str(job.get_meta(refresh=True).get("phase", "")).startswith("write"):
        assert time.monotonic() < deadline and job.get_status(refresh=True) not in ("finished", "failed"), \
            job.get_meta()
        time.sleep(0.05)
    stopped = job_status({"redis_url": redis_url, "job_id": job.id, "state": "stopped"})
    right_after = ih.change_count(netbox)
    assert stopped["job"]["status"] == "stopped", stopped["job"]
    time.sleep(4)
    assert ih.change_count(netbox) == right_after
    rerun = runner(SYNC, sync_args(all_devices=False, devices=chosen))
    assert rerun["failures"] == [] and rerun["counts"]["interfaces"]["created"] > 0
