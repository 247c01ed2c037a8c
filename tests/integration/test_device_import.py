"""librenms_device_import against real NetBox and the LibreNMS simulator, through real ansible-playbook runs.

The NetBox side is the reference data of netbox_estate.py (plus a few objects of this module, tagged
``dit-device-import``). The LibreNMS side is a private simulator (seed 42) big enough that about 300 devices are
ready, so the one full import every test builds on is also the bulk-write benchmark. Each test that needs a
fresh state deletes only what imports created for the LibreNMS devices it uses; the module starts and ends with
no imported object in NetBox.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import netbox_estate as nbe
from harness import netbox_service
from harness.librenms_sim import SECRET_MARKER
from harness.process import stop_pidfile
from harness.settings import REPO_ROOT, load_settings
from tests.integration import import_helpers as ih
from tests.integration.simulators import estate_rows, private_simulator

pytestmark = pytest.mark.integration

MODULE = "netbox_librenms.sync.librenms_device_import"
FILTER = "netbox_librenms.sync.librenms_device_filter"
SEED = 42
# With seed 42 about 54 % of the devices are ready against netbox_estate; 560 gives about 300 ready devices.
SIZE = 560
BATCH = 100
BENCHMARK_FILE = REPO_ROOT / "tests" / "output" / "import_benchmark.json"
OWN_TYPE_MODEL = "C9200L-24P-4G"  # a member model of some filler stacks (the master is a C9200L-48P-4G)
VM_ID = 11
STACKS = {
    # special: (original name, master position, positions)
    "cisco_stack_relpos0": ("lon1-stack-sw01", 1, [1, 2, 3]),
    "cisco_stack_named": ("fra2-stack-sw02", 2, [1, 2]),
    "cisco_stack_nullserial": ("nyc3-stack-sw03", 1, [1, 2, 3]),
    "juniper_vc": ("zrh1-vc-sw06", 1, [1, 2]),
    "aruba_vsf": ("fra2-agg-vsf08", 1, [1, 2]),
}
MIXED_STACK_ID = 34  # sin1-acc-sw0034: master C9200L-48P-4G, member 2 a C9200L-24P-4G


def base_args(**overrides) -> dict:
    """The whole-estate import every test starts from (the options of the filter run it is compared with)."""
    args = {
        "all_devices": True,
        "site_map": nbe.SITE_MAP,
        "device_type_map": nbe.DEVICE_TYPE_MAP,
        "role": nbe.DEFAULT_ROLE,
        "role_rules": nbe.ROLE_RULES,
        "selections": {str(VM_ID): {"as_vm": True, "cluster": nbe.CLUSTER}, "1": {"rack": nbe.RACK}},
        "batch_size": BATCH,
    }
    args.update(overrides)
    return args


def filter_args(**overrides) -> dict:
    """The same options for librenms_device_filter, which also detects stacks as the import does."""
    args = base_args(vc_detection=True, **overrides)
    args.pop("batch_size")
    return args


def subset_args(device_ids, **overrides) -> dict:
    args = base_args(**overrides)
    args.pop("all_devices")
    args["devices"] = list(device_ids)
    return args


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def sim():
    with private_simulator("dit", SEED, SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def sim_rows():
    return estate_rows(SEED, SIZE)


@pytest.fixture(scope="module")
def world(netbox, sim_rows):
    """Clean NetBox, the reference estate and this module's extras; everything imported is removed at the end."""
    ih.wipe_imports(netbox)
    ih.remove_tagged(netbox)
    rows = sim_rows.by_id
    estate = nbe.build_estate(netbox, serials={i: rows[i]["serial"] for i in range(24, 32)},
                              ips={i: rows[i]["ip"] for i in range(24, 32)})
    tag = netbox.extras.tags.create(name=ih.TAG, slug=ih.TAG, color="795548")
    cisco = netbox.dcim.manufacturers.get(slug="dft-cisco")
    fortinet = netbox.dcim.manufacturers.get(slug="dft-fortinet")
    own_type = netbox.dcim.device_types.create(manufacturer=cisco.id, model=OWN_TYPE_MODEL, slug="dit-c9200l-24p-4g",
                                               tags=[tag.id])
    restricted = netbox.dcim.platforms.create(name="DIT Fortinet only", slug="dit-fortinet-only",
                                              manufacturer=fortinet.id, tags=[tag.id])
    try:
        yield SimpleNamespace(estate=estate, tag=tag.id, own_type=own_type.id, restricted=restricted.id,
                              estate_device_ids=set(estate["devices"].values()))
    finally:
        ih.wipe_imports(netbox)
        ih.remove_tagged(netbox)
        nbe.remove_estate(netbox)


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    """The private simulator, and no Redis: every run happens in the task (no background job, no cache of
    NetBox reference data from before this module rebuilt it)."""
    variables = dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token)
    variables.pop("NETBOX_LIBRENMS_REDIS_URL", None)
    return variables


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("device-import")


@pytest.fixture(scope="module")
def hidden(services, sim):
    return [SECRET_MARKER, sim.token, services["netbox"]["token_v2"], services["netbox"]["token_v1"],
            services["librenms"]["token"]]


@pytest.fixture(scope="module")
def runner(env, workdir, hidden):
    """Runs the import module (one case or several in one playbook); every result is checked for secrets."""
    def many(cases, *extra, module=MODULE):
        results = ih.run_loop(env, workdir, module, cases, *extra)
        for result in results:
            assert_no_secret(result, hidden)
        return results

    def one(args, *extra, module=MODULE):
        return many([args], *extra, module=module)[0]

    return SimpleNamespace(one=one, many=many)


@pytest.fixture(scope="module")
def search(world, sim, runner):
    """The filter module with the import's options: which devices are ready, and how they would look."""
    sim.control.reset()
    result = runner.one(filter_args(), module=FILTER)
    assert result.get("failed") is not True, result.get("msg")
    by_id = {row["device_id"]: row for row in result["devices"]}
    ready = {device_id for device_id, row in by_id.items() if row["status"] == "ready"}
    return SimpleNamespace(result=result, by_id=by_id, ready=ready)


@pytest.fixture(scope="module")
def main(world, search, netbox, sim, runner):
    """On a clean NetBox: a check run, the real run (timed) and an immediate re-run, with change-log counts."""
    sim.control.reset()
    ih.wipe_imports(netbox)
    counts = [ih.change_count(netbox)]
    times = [time.perf_counter()]
    check = runner.one(base_args(), "--check")
    counts.append(ih.change_count(netbox))
    times.append(time.perf_counter())
    real = runner.one(base_args())
    times.append(time.perf_counter())
    counts.append(ih.change_count(netbox))
    rerun = runner.one(base_args())
    times.append(time.perf_counter())
    counts.append(ih.change_count(netbox))
    check_time, elapsed, rerun_time = (later - earlier for earlier, later in zip(times, times[1:]))
    for result in (check, real, rerun):
        assert result.get("failed") is not True, result.get("msg")
    created = {entry["device_id"]: entry for entry in real["created"]}
    return SimpleNamespace(check=check, real=real, rerun=rerun, counts=counts, elapsed=elapsed, created=created,
                           check_time=check_time, rerun_time=rerun_time)


# --------------------------------------------------------------------------------------------------------------
# Helpers


def assert_no_secret(result: dict, hidden: list) -> None:
    text = json.dumps(result, ensure_ascii=False)
    for secret in hidden:
        assert secret not in text, f"{secret[:6]}... leaked"


def assert_clean_failure(result: dict, *expected: str) -> None:
    assert result.get("failed") is True, result
    msg = result.get("msg")
    assert isinstance(msg, str) and msg, result
    for text in expected:
        assert text in msg, msg
    # ansible-core registers a failed task with exception "(traceback unavailable)" when no traceback was captured
    assert result.get("exception") in (None, "(traceback unavailable)"), result["exception"]
    assert "module_stderr" not in result, result["module_stderr"]
    assert "Traceback" not in json.dumps(result), msg


def nested_id(value):
    return value.get("id") if isinstance(value, dict) else value


def status_of(value):
    return value.get("value") if isinstance(value, dict) else value


def expected_name(row: dict) -> str:
    """The NetBox name of the LibreNMS device itself: a stack master takes its member name."""
    for member in (row.get("virtual_chassis") or {}).get("members") or ():
        if member["is_master"]:
            return member["name"]
    return row["name"]


def created_names(result: dict) -> list:
    return sorted(
        (entry["device_id"], entry["kind"], entry["name"], tuple((entry.get("virtual_chassis") or {}).get("members")
                                                                 or ()))
        for entry in result["created"]
    )


def ids_by_location(search, location: str) -> list:
    return sorted(device_id for device_id in search.ready
                  if search.by_id[device_id]["location"] == location and device_id != VM_ID)


def pick(search, location: str, count: int) -> list:
    """`count` ready devices of a location, its stacks first (they make the most objects and writes)."""
    ready = ids_by_location(search, location)
    ready.sort(key=lambda device_id: (not search.by_id[device_id]["virtual_chassis"], device_id))
    return sorted(ready[:count])


def assert_each_once(netbox, device_ids) -> None:
    """Each LibreNMS id on exactly one NetBox device, and no NetBox device name twice in a site."""
    linked = ih.devices_by_librenms_id(netbox)
    twice = {device_id: [d["name"] for d in linked.get(device_id, [])] for device_id in device_ids
             if len(linked.get(device_id, [])) != 1}
    assert not twice, f"not exactly once: {twice}"
    names = Counter((nested_id(d["site"]), d["name"].lower()) for d in ih.all_devices(netbox))
    assert not [name for name, count in names.items() if count > 1]


def assert_stacks_whole(netbox, search, stacks) -> None:
    """One chassis per stack, with a master and as many devices as LibreNMS has members."""
    for device_id in stacks:
        chassis = list(netbox.dcim.virtual_chassis.filter(domain=f"librenms-default-{device_id}"))
        assert len(chassis) == 1
        members = list(netbox.dcim.devices.filter(virtual_chassis_id=chassis[0].id))
        assert len(members) == len(search.by_id[device_id]["virtual_chassis"]["members"])
        assert chassis[0].master is not None


# --------------------------------------------------------------------------------------------------------------
# 1-3: the whole estate, its re-run and its check run


def test_import_creates_every_ready_device(main, search):
    real = main.real
    assert real["changed"] is True
    assert real["failures"] == [] and real["errors"] == []
    assert real["summary"]["success_count"] == len(search.ready)
    assert set(main.created) == search.ready
    assert real["summary"]["total"] == search.result["summary"]["total"]
    assert real["summary"]["skipped_count"] == real["summary"]["total"] - len(search.ready)
    stacks = {device_id for device_id in search.ready if search.by_id[device_id]["virtual_chassis"]}
    assert real["summary"]["virtual_chassis_created"] == len(stacks) >= 20
    assert real["custom_field_created"] is False  # netbox_estate made it
    assert real["server_key"] == "default"
    # the devices that are not ready are skipped with their status and reason
    skipped = {entry["device_id"]: entry for entry in real["skipped_devices"]}
    assert set(skipped) == set(search.by_id) - search.ready
    for device_id, entry in skipped.items():
        assert entry["status"] == search.by_id[device_id]["status"]
        assert entry["reason"]
    assert "already in NetBox as device 'dft-byid-other' (matched by librenms_id)" in skipped[25]["reason"]


def test_created_devices_read_back_from_netbox(main, search, netbox, sim_rows):
    devices = {device["id"]: device for device in ih.all_devices(netbox)}
    checked = 0
    for device_id, entry in main.created.items():
        row = search.by_id[device_id]
        if entry["kind"] == "vm":
            continue
        device = devices[entry["netbox_id"]]
        expected = {
            "name": expected_name(row),
            "site": row["site"]["id"],
            "device_type": row["device_type"]["id"],
            "role": row["role"]["id"],
            "platform": (row["platform"] or {}).get("id"),
            "rack": (row["rack"] or {}).get("id"),
            "serial": sim_rows.by_id[device_id]["serial"] or "",
            "status": "active" if row["librenms_status"] else "offline",
            "librenms_id": {"default": device_id},
        }
        actual = {
            "name": device["name"], "site": nested_id(device["site"]), "device_type": nested_id(device["device_type"]),
            "role": nested_id(device["role"]), "platform": nested_id(device["platform"]),
            "rack": nested_id(device["rack"]), "serial": device["serial"], "status": status_of(device["status"]),
            "librenms_id": device["custom_fields"]["librenms_id"],
        }
        assert actual == expected, device_id
        assert device["comments"] == (
            f"Imported from LibreNMS (server default, device {device_id}) by netbox_librenms.sync.")
        assert entry["name"] == device["name"]
        assert entry["url"].endswith(f"/api/dcim/devices/{device['id']}/")
        checked += 1
    assert checked >= 250
    specials = sim_rows.specials
    down = devices[main.created[specials["down_device"]]["netbox_id"]]
    assert status_of(down["status"]) == "offline"
    assert devices[main.created[specials["unicode_device"]]["netbox_id"]]["name"] == "zürich-sw-ö1"
    assert devices[main.created[specials["ip_hostname"]]["netbox_id"]]["name"] == "10.250.0.21"
    core = devices[main.created[specials["fqdn_device"]]["netbox_id"]]
    assert (core["name"], core["role"]["name"]) == ("core1.lon1.example.net", "dft-core")
    stack = devices[main.created[specials["cisco_stack_relpos0"]]["netbox_id"]]
    assert (stack["rack"]["name"], stack["site"]["name"], stack["role"]["name"]) == (nbe.RACK, "LON1", "dft-access")


def test_rerun_changes_nothing_and_writes_no_change_log_entry(main, search):
    rerun = main.rerun
    assert rerun["changed"] is False
    assert rerun["created"] == [] and rerun["updated"] == [] and rerun["failures"] == []
    assert rerun["summary"]["success_count"] == 0
    assert rerun["api_calls"]["netbox_writes"] == 0
    statuses = {entry["device_id"]: entry["status"] for entry in rerun["skipped_devices"]}
    assert {device_id for device_id, status in statuses.items() if status == "exists"} >= search.ready
    assert "(matched by librenms_id)" in next(e["reason"] for e in rerun["skipped_devices"] if e["device_id"] == 1)
    before_rerun, after_rerun = main.counts[2], main.counts[3]
    assert after_rerun == before_rerun
    assert main.counts[2] > main.counts[1] + len(search.ready)  # the real run did log its writes


def test_check_mode_predicts_the_real_run_and_writes_nothing(main):
    check, real = main.check, main.real
    assert main.counts[1] == main.counts[0]
    assert check["changed"] is True and real["changed"] is True
    assert check["api_calls"]["netbox_writes"] == 0
    assert created_names(check) == created_names(real)
    assert all(entry["netbox_id"] is None for entry in check["created"])
    assert check["summary"] == real["summary"]
    assert [e["device_id"] for e in check["skipped_devices"]] == [e["device_id"] for e in real["skipped_devices"]]


# --------------------------------------------------------------------------------------------------------------
# 4-5: stacks and VMs


def expected_member_type(member: dict, master_type: int, types_by_key: dict) -> int:
    """A member's own device type when its model names one (part number or model), else the master's."""
    return types_by_key.get((member["model"] or "").lower(), master_type)


@pytest.mark.parametrize("special", [*sorted(STACKS), "mixed_models"])
def test_stack_becomes_virtual_chassis(main, search, netbox, sim_rows, world, special):
    device_id = MIXED_STACK_ID if special == "mixed_models" else sim_rows.specials[special]
    row = search.by_id[device_id]
    entry = main.created[device_id]
    vc = netbox.dcim.virtual_chassis.get(entry["virtual_chassis"]["id"])
    assert vc.name == row["name"]
    assert vc.domain == f"librenms-default-{device_id}"
    assert vc.master.id == entry["netbox_id"]
    members = sorted((dict(d) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc.id)),
                     key=lambda d: d["vc_position"])
    predicted = row["virtual_chassis"]["members"]
    assert [(m["vc_position"], m["name"], m["serial"]) for m in members] == [
        (p["position"], p["name"], p["serial"] or "") for p in predicted]
    assert [m["name"] for m in members] == [f"{row['name']}-M{p['position']}" for p in predicted]
    master = next(m for m in members if m["id"] == entry["netbox_id"])
    assert master["vc_position"] == row["virtual_chassis"]["master_position"]
    assert master["custom_fields"]["librenms_id"] == {"default": device_id}
    assert master["serial"] == sim_rows.by_id[device_id]["serial"]
    types = list(netbox.dcim.device_types.all())
    types_by_key = {dt.model.lower(): dt.id for dt in types}
    types_by_key.update({dt.part_number.lower(): dt.id for dt in types if dt.part_number})
    for member in members:
        if member["id"] != master["id"]:
            assert member["custom_fields"]["librenms_id"] is None  # members are not LibreNMS devices
            for field in ("site", "role", "platform", "rack"):
                assert nested_id(member[field]) == nested_id(master[field]), field
        wanted = next(p for p in predicted if p["position"] == member["vc_position"])
        assert nested_id(member["device_type"]) == expected_member_type(
            wanted, row["device_type"]["id"], types_by_key)
    assert sorted(entry["virtual_chassis"]["members"]) == sorted(m["name"] for m in members if m["id"] != master["id"])
    if special in STACKS:
        name, master_position, positions = STACKS[special]
        assert (vc.name, master["vc_position"], [m["vc_position"] for m in members]) == (
            name, master_position, positions)
        assert master["name"] == f"{name}-M{master_position}"
    if special == "cisco_stack_nullserial":
        assert [m["serial"] for m in members][1] == ""  # the null-serial member is still created
        assert len({nested_id(m["device_type"]) for m in members}) == 1  # the "" model takes the master's type
    if special == "mixed_models":
        assert {nested_id(m["device_type"]) for m in members} == {row["device_type"]["id"], world.own_type}


def test_vm_lands_in_its_cluster(main, netbox, world):
    entry = main.created[VM_ID]
    assert entry["kind"] == "vm"
    vm = dict(netbox.virtualization.virtual_machines.get(entry["netbox_id"]))
    assert vm["name"] == "nyc3-vm-app11"
    assert vm["cluster"]["id"] == world.estate["cluster"]
    assert vm["role"]["name"] == "dft-server"
    assert vm["status"]["value"] == "active"
    assert vm["custom_fields"]["librenms_id"] == {"default": VM_ID}
    assert "Imported from LibreNMS (server default, device 11)" in vm["comments"]
    assert entry["url"].endswith(f"/api/virtualization/virtual-machines/{vm['id']}/")
    assert netbox.dcim.devices.get(name="nyc3-vm-app11") is None


def test_member_name_pattern_and_member_whose_serial_exists(main, netbox, sim, sim_rows, runner, world):
    stack_id, vc_id = sim_rows.specials["cisco_stack_relpos0"], sim_rows.specials["juniper_vc"]
    taken = next(row["entPhysicalSerialNum"] for row in sim_rows.inventory(stack_id)
                 if row["entPhysicalClass"] == "chassis" and row["entPhysicalName"] == "3")
    ih.wipe_imports(netbox, [stack_id, vc_id])
    holder = netbox.dcim.devices.create(
        name="dit-serial-holder", serial=taken, site=world.estate["sites"]["LON1"], tags=[world.tag],
        device_type=world.estate["device_types"]["DCS-7050SX-64"], role=world.estate["roles"]["dft-leaf"])
    try:
        result = runner.one(subset_args([stack_id, vc_id], vc_member_name_pattern="{master_name}-sw{position}"))
        assert result.get("failed") is not True, result.get("msg")
        assert created_names(result) == [
            (stack_id, "device", "lon1-stack-sw01-sw1", ("lon1-stack-sw01-sw2",)),
            (vc_id, "device", "zrh1-vc-sw06-sw1", ("zrh1-vc-sw06-sw2",)),
        ]
        assert result["failures"] == []
        assert (f"member 3 of 'lon1-stack-sw01' not created: serial {taken} already in NetBox"
                in result["warnings_list"])
        assert "not created: serial" in result["_stdout"] + result["_stderr"]  # also a task warning
        for device_id, name, members in ((stack_id, "lon1-stack-sw01", [1, 2]), (vc_id, "zrh1-vc-sw06", [1, 2])):
            vc = netbox.dcim.virtual_chassis.get(domain=f"librenms-default-{device_id}")
            assert vc.name == name and vc.master.name == f"{name}-sw1"
            found = sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc.id))
            assert found == [(position, f"{name}-sw{position}") for position in members]
        assert len(list(netbox.dcim.devices.filter(serial=taken))) == 1
    finally:
        holder.delete()


def test_without_virtual_chassis_only_the_master_is_imported(main, netbox, sim, sim_rows, runner):
    # (cisco_stack_named's hardware matches a device type: no inventory is read; for juniper_vc, whose type is only
    # found through its master's model, see test_peer_checks.py)
    device_id = sim_rows.specials["cisco_stack_named"]
    ih.wipe_imports(netbox, [device_id])
    sim.control.reset()
    result = runner.one(subset_args([device_id], create_virtual_chassis=False))
    assert result.get("failed") is not True, result.get("msg")
    assert created_names(result) == [(device_id, "device", "fra2-stack-sw02", ())]
    assert result["created"][0]["virtual_chassis"] is None
    assert result["summary"]["virtual_chassis_created"] == 0
    assert "inventory_all" not in result["api_calls"]["librenms"]
    assert sim.control.stats()["by_endpoint"]["inventory_all"] == 0
    device = netbox.dcim.devices.get(result["created"][0]["netbox_id"])
    assert device.name == "fra2-stack-sw02" and device.virtual_chassis is None
    assert device.serial == sim_rows.by_id[device_id]["serial"]
    assert netbox.dcim.virtual_chassis.get(domain=f"librenms-default-{device_id}") is None
    assert netbox.dcim.devices.get(name="fra2-stack-sw02-M1") is None
    assert netbox.dcim.devices.get(name="fra2-stack-sw02-M2") is None


def test_rerun_completes_a_stack_whose_chassis_was_not_created(world, netbox, sim, sim_rows, runner):
    """A run that created a stack's master but not its chassis (NetBox failed in between): the next run completes
    it, reading only that device's inventory, and the run after changes nothing."""
    device_id = sim_rows.specials["cisco_stack_named"]
    ih.wipe_imports(netbox, [device_id])
    first = runner.one(subset_args([device_id]))
    assert first.get("failed") is not True, first.get("msg")
    master_id, members = first["created"][0]["netbox_id"], first["created"][0]["virtual_chassis"]["members"]
    vc = netbox.dcim.virtual_chassis.get(domain=f"librenms-default-{device_id}")
    layout = sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc.id))
    member_ids = [d.id for d in netbox.dcim.devices.filter(virtual_chassis_id=vc.id) if d.id != master_id]
    vc.delete()  # NetBox releases the members; the master stays, renamed, alone
    for member_id in member_ids:
        netbox.dcim.devices.get(member_id).delete()
    assert netbox.dcim.devices.get(master_id).virtual_chassis is None

    sim.control.reset()
    check = runner.one(subset_args([device_id]), "--check")
    assert check["changed"] is True and check["created"] == []
    (planned,) = check["updated"]
    assert planned["changes"] == {"virtual_chassis": {"before": None, "after": "fra2-stack-sw02"}}
    assert planned["virtual_chassis"]["members"] == members
    assert sim.control.stats()["by_endpoint"]["inventory_all"] == 1

    repair = runner.one(subset_args([device_id]))
    assert repair["changed"] is True and repair["created"] == [] and repair["failures"] == []
    assert repair["summary"]["virtual_chassis_created"] == 1
    vc = netbox.dcim.virtual_chassis.get(domain=f"librenms-default-{device_id}")
    assert vc.name == "fra2-stack-sw02" and vc.master.id == master_id
    assert sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc.id)) == layout

    before = ih.change_count(netbox)
    again = runner.one(subset_args([device_id]))
    assert again["changed"] is False and again["updated"] == [] and again["created"] == []
    assert ih.change_count(netbox) == before


# --------------------------------------------------------------------------------------------------------------
# 6: a device NetBox refuses fails alone


def test_device_netbox_refuses_fails_alone(main, netbox, sim_rows, runner, world):
    specials = sim_rows.specials
    juniper = specials["juniper_single"]  # the only junos device of the subset
    others = [specials[name] for name in ("no_inventory", "unicode_device", "no_sysname", "down_device")]
    ih.wipe_imports(netbox, [juniper, *others])
    args = subset_args([juniper, *others], platform_map={"junos": "dit-fortinet-only"}, batch_size=10)
    # the bad mapping, the same with fail_on_error, then without the bad mapping: one playbook, in this order
    result, strict, fixed = runner.many([args, dict(args, fail_on_error=True), subset_args([juniper])])
    refusal = ("NetBox refused it (400): platform: The assigned platform is limited to DFT Fortinet device types, "
               "but this device's type belongs to DFT Juniper.")
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    assert [(f["device_id"], f["name"], f["reason"]) for f in result["failures"]] == [
        (juniper, "sin1-acc-sw07", refusal)]
    assert result["errors"] == [f"sin1-acc-sw07: {refusal}"]
    assert sorted(entry["device_id"] for entry in result["created"]) == sorted(others)
    assert result["summary"]["failed_count"] == 1 and result["summary"]["success_count"] == len(others)
    # fail_on_error: the same refusal fails the task, with one clear message
    assert_clean_failure(strict, "1 device(s) failed: sin1-acc-sw07: NetBox refused it (400): platform: ")
    assert strict["failures"][0]["device_id"] == juniper
    assert strict["created"] == []
    # without the bad mapping the device goes in: nothing else was wrong with it
    assert [entry["device_id"] for entry in fixed["created"]] == [juniper] and fixed["failures"] == []
    linked = ih.devices_by_librenms_id(netbox)
    assert all(len(linked.get(device_id, [])) == 1 for device_id in [juniper, *others])
    assert nested_id(linked[juniper][0]["platform"]) != world.restricted


# --------------------------------------------------------------------------------------------------------------
# 10: update_existing and --diff


def test_update_existing_brings_a_device_back_in_line(main, search, netbox, sim_rows, runner, world):
    device_id = sim_rows.specials["fqdn_device"]
    legacy_id = nbe.LEGACY_INT_ID
    row = search.by_id[device_id]
    device = netbox.dcim.devices.get(name="core1.lon1.example.net")
    assert device.custom_fields["librenms_id"] == {"default": device_id}
    junos = world.estate["platforms"]["junos"]
    device.update({"serial": "DIT-WRONG", "status": "planned", "platform": junos})
    legacy = netbox.dcim.devices.get(world.estate["devices"]["dft-legacy-child"])
    assert legacy.custom_fields["librenms_id"] == legacy_id
    args = subset_args([device_id, legacy_id], update_existing=True)

    updated = runner.one(args, "--diff")
    assert updated.get("failed") is not True, updated.get("msg")
    assert updated["changed"] is True and updated["created"] == [] and updated["failures"] == []
    by_id = {entry["device_id"]: entry for entry in updated["updated"]}
    assert set(by_id) == {device_id, legacy_id}
    assert by_id[device_id]["changes"] == {
        "serial": {"before": "DIT-WRONG", "after": sim_rows.by_id[device_id]["serial"]},
        "status": {"before": "planned", "after": "active"},
        "platform": {"before": junos, "after": row["platform"]["id"]},
    }
    assert by_id[device_id]["netbox_id"] == device.id and by_id[device_id]["name"] == "core1.lon1.example.net"
    assert by_id[legacy_id]["changes"]["librenms_id"] == {"before": legacy_id, "after": {"default": legacy_id}}
    diffs = {d["after_header"]: d for d in updated["diff"]}
    diff = diffs[f"device core1.lon1.example.net (LibreNMS {device_id})"]
    assert diff["before"] == {"serial": "DIT-WRONG", "status": "planned", "platform": junos}
    assert diff["after"] == {"serial": sim_rows.by_id[device_id]["serial"], "status": "active",
                             "platform": row["platform"]["id"]}
    device = netbox.dcim.devices.get(device.id)
    assert (device.serial, device.status.value, device.platform.id) == (
        sim_rows.by_id[device_id]["serial"], "active", row["platform"]["id"])
    assert netbox.dcim.devices.get(legacy.id).custom_fields["librenms_id"] == {"default": legacy_id}

    count = ih.change_count(netbox)
    again = runner.one(args)
    assert again["changed"] is False and again["updated"] == [] and again["created"] == []
    assert {entry["device_id"]: entry["status"] for entry in again["skipped_devices"]} == {
        device_id: "exists", legacy_id: "exists"}
    assert ih.change_count(netbox) == count


# --------------------------------------------------------------------------------------------------------------
# 11: the forms of `devices`, and bad input


@pytest.fixture(scope="module")
def input_runs(main, sim_rows, runner, netbox):
    """Every form of input in one playbook: ids and hostnames of imported devices, then bad input."""
    specials = sim_rows.specials
    by_id = [specials["cisco_standalone_stackable"], str(specials["junos_evo_class0"])]
    by_hostname = [sim_rows.by_id[specials["down_device"]]["hostname"].upper(),
                   sim_rows.by_id[specials["ip_hostname"]]["hostname"]]
    cases = {
        "ids_and_hostnames": subset_args([*by_id, *by_hostname, 99999, "no-such-host.example.net"]),
        "devices_and_all_devices": dict(base_args(), devices=[1]),
        "devices_and_filters": {"devices": [1], "filters": {"os": "ios"}, "role": nbe.DEFAULT_ROLE},
        "nothing_to_import": {"role": nbe.DEFAULT_ROLE},
        "batch_size_zero": base_args(batch_size=0),
        "row_without_id": {"devices": [{"hostname": "x", "status": "ready"}]},
        "unknown_selection_key": base_args(selections={"1": {"colour": "red"}}),
        "row_with_bad_id": {"devices": [{"device_id": "abc"}]},
        "as_vm_perhaps": base_args(selections={"1": {"as_vm": "perhaps"}}),
        "timeout_zero": base_args(timeout=0),
        "job_timeout_negative": base_args(background="always", job_timeout=-1),
        "result_ttl_negative": base_args(background="always", result_ttl=-1),
    }
    before = ih.change_count(netbox)
    results = dict(zip(cases, runner.many(list(cases.values()))))
    return SimpleNamespace(results=results, changes=ih.change_count(netbox) - before)


def test_devices_as_ids_and_hostnames(input_runs, sim_rows):
    specials = sim_rows.specials
    result = input_runs.results["ids_and_hostnames"]
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is False and result["created"] == []
    assert {entry["device_id"]: entry["status"] for entry in result["skipped_devices"]} == {
        specials[name]: "exists" for name in ("cisco_standalone_stackable", "junos_evo_class0", "down_device",
                                              "ip_hostname")}
    assert [(f["device_id"], f["name"], f["reason"]) for f in result["failures"]] == [
        (99999, "99999", "LibreNMS has no such device"),
        (None, "no-such-host.example.net", "LibreNMS has no such device"),
    ]
    assert result["summary"]["total"] == 6 and result["summary"]["failed_count"] == 2
    assert input_runs.changes == 0  # nothing written by any of the input runs


def test_devices_from_the_rows_of_a_search(main, search, netbox, env, workdir, hidden):
    location = "Bldg 7 / Fl 2 / Rm 2.14 - old telco closet (ask Dave)"
    ready = ids_by_location(search, location)
    ih.wipe_imports(netbox, ready)
    renamed = next(device_id for device_id in ready if not search.by_id[device_id]["virtual_chassis"])
    selections = dict(base_args()["selections"], **{str(renamed): {"name": "dit-renamed-by-selection"}})
    search_args = {key: value for key, value in base_args(selections=selections).items()
                   if key not in ("all_devices", "batch_size")}
    search_args.update(filters={"location": location}, vc_detection=True)
    import_args = {"site_map": nbe.SITE_MAP, "device_type_map": nbe.DEVICE_TYPE_MAP, "role": nbe.DEFAULT_ROLE,
                   "role_rules": nbe.ROLE_RULES, "batch_size": 7}
    outcome = ih.run_search_then_import(env, workdir, search_args, import_args)
    assert_no_secret(outcome, hidden)
    found, imported = outcome["found"], outcome["imported"]
    rows = {row["device_id"]: row for row in found["devices"] if row["status"] == "ready"}
    assert sorted(rows) == ready
    assert imported.get("failed") is not True, imported.get("msg")
    assert sorted(entry["device_id"] for entry in imported["created"]) == ready
    assert imported["failures"] == []
    # the row's selection came along: the device was created with the chosen name
    assert {entry["device_id"]: entry["name"] for entry in imported["created"]} == {
        device_id: expected_name(row) for device_id, row in rows.items()}
    assert rows[renamed]["name"] == "dit-renamed-by-selection"
    assert netbox.dcim.devices.get(imported["created"][0]["netbox_id"]) is not None
    assert netbox.dcim.devices.get(name="dit-renamed-by-selection").custom_fields["librenms_id"] == {
        "default": renamed}
    assert imported["api_calls"]["librenms"]["list_devices"] == 1


BAD_INPUT = {
    "devices_and_all_devices": "give either devices or filters/all_devices, not both",
    "devices_and_filters": "give either devices or filters/all_devices, not both",
    "nothing_to_import": "nothing to import: give devices, filters or all_devices: true",
    "batch_size_zero": "batch_size must be at least 1",
    "row_without_id": "a row in devices has no device_id",
    "unknown_selection_key": "selections.1 has unknown key 'colour'",
    "row_with_bad_id": "devices: a row has device_id 'abc', which is not a LibreNMS device id",
    "as_vm_perhaps": "selections.1.as_vm must be true or false, got 'perhaps'",
    "timeout_zero": "timeout must be greater than 0 (seconds), got 0",
    "job_timeout_negative": "job_timeout must be at least 1 (seconds), got -1",
    "result_ttl_negative": "result_ttl must be at least 1 (seconds), got -1",
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_fails_with_one_clear_message(input_runs, case):
    result = input_runs.results[case]
    assert_clean_failure(result, BAD_INPUT[case])
    assert "created" not in result


# --------------------------------------------------------------------------------------------------------------
# 7: two imports at once


def test_two_concurrent_runs_create_each_object_once(main, search, netbox, env, workdir, hidden):
    device_ids = pick(search, "SIN1 Jurong East", 24)
    stacks = {device_id for device_id in device_ids if search.by_id[device_id]["virtual_chassis"]}
    assert len(device_ids) == 24 and stacks
    ih.wipe_imports(netbox, device_ids)
    # two overlapping selections: a third of the devices is wanted by both runs, the rest by one only
    wanted = [device_ids[:16], device_ids[8:]]
    runs = [ih.BackgroundRun(env, workdir, MODULE, subset_args(ids, batch_size=10)) for ids in wanted]
    try:
        first, second = (run.result() for run in runs)
    finally:
        for run in runs:
            run.kill()
    for result in (first, second):
        assert_no_secret(result, hidden)
        assert result.get("failed") is not True, result.get("msg")
        assert result["failures"] == [], result["failures"]  # a uniqueness clash is "exists", not a failure
    created = Counter(entry["device_id"] for result in (first, second) for entry in result["created"])
    assert set(created) == set(device_ids) and set(created.values()) == {1}
    both = set(wanted[0]) & set(wanted[1])
    for result, other, ids in ((first, second, wanted[0]), (second, first, wanted[1])):
        mine = {entry["device_id"] for entry in result["created"]}
        assert set(ids) - both <= mine  # nobody else wanted these
        skipped = {entry["device_id"]: entry for entry in other["skipped_devices"]}
        # A stack master this run had created but not yet put in its chassis is, to the other run, a stack a
        # past run left unfinished: that run completes it (an update) instead of skipping it.
        completed = {entry["device_id"] for entry in other["updated"] if entry.get("virtual_chassis")}
        for device_id in mine & both:
            assert device_id in completed or skipped[device_id]["status"] == "exists", skipped.get(device_id)
    assert_each_once(netbox, device_ids)
    assert_stacks_whole(netbox, search, stacks)
    print(f"\nconcurrent runs: created {len(first['created'])} + {len(second['created'])}, "
          f"'created meanwhile' skips: "
          f"{sum('meanwhile' in e['reason'] for r in (first, second) for e in r['skipped_devices'])}")


def test_concurrent_batches_create_each_device_once_and_a_rerun_changes_nothing(search, netbox, runner):
    """Batches of 3, 4 of them at once (issue 14): stacks keep their order (device, chassis, members)."""
    device_ids = pick(search, "LON1 Docklands, London", 30)
    stacks = {device_id for device_id in device_ids if search.by_id[device_id]["virtual_chassis"]}
    assert stacks
    ih.wipe_imports(netbox, device_ids)
    args = subset_args(device_ids, batch_size=3, write_concurrency=4)
    first = runner.one(args)
    assert first.get("failed") is not True, first.get("msg")
    assert first["failures"] == [] and first["changed"] is True
    assert sorted(entry["device_id"] for entry in first["created"]) == device_ids
    assert_each_once(netbox, device_ids)
    assert_stacks_whole(netbox, search, stacks)
    before = ih.change_count(netbox)
    again = runner.one(args)
    assert again["changed"] is False and again["created"] == [] and again["failures"] == []
    assert ih.change_count(netbox) == before
    assert_each_once(netbox, device_ids)


# --------------------------------------------------------------------------------------------------------------
# 8: NetBox restarts in the middle of an import


def stop_netbox_keeping_data(settings) -> None:
    stop_pidfile(settings.run_dir / "netbox.pid", timeout=3)  # then SIGKILL: an outage, not a clean stop


def test_netbox_restart_mid_import_then_rerun(main, search, netbox, env, workdir, hidden):
    device_ids = pick(search, "FRA2 Frankfurt Ostend", 30)
    assert len(device_ids) == 30
    ih.wipe_imports(netbox, device_ids)
    settings = load_settings()
    baseline = netbox.dcim.devices.count()
    run = ih.BackgroundRun(env, workdir, MODULE, subset_args(device_ids, batch_size=5))
    stopped = restarted = False
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and run.proc.poll() is None:
            if netbox.dcim.devices.count() > baseline:  # writes are under way
                began = time.perf_counter()
                stop_netbox_keeping_data(settings)
                stopped = True
                down = time.perf_counter()
                time.sleep(1)
                netbox_service.serve_netbox(settings)
                restarted = True
                print(f"\nrestart: stop {down - began:.1f} s, start {time.perf_counter() - down:.1f} s")
                break
            time.sleep(0.05)
        first = run.result()
    finally:
        run.kill()
        if stopped and not restarted:
            netbox_service.serve_netbox(settings)
    assert restarted, "the import finished before any write was seen"
    assert_no_secret(first, hidden)
    assert "module_stderr" not in first and "exception" not in first, first
    assert "Traceback" not in json.dumps(first) and "Traceback" not in first["_stdout"]
    assert first.get("failed") is not True, first.get("msg")
    interrupted = [f for f in first["failures"] if "NetBox could not be reached" in f["reason"]]
    assert interrupted or any("virtual chassis" in w or "member" in w for w in first["warnings_list"]), first
    second = ih.run_loop(env, workdir, MODULE, [subset_args(device_ids)])[0]
    assert_no_secret(second, hidden)
    assert second.get("failed") is not True, second.get("msg")
    assert second["failures"] == []
    done = {e["device_id"] for r in (first, second) for e in r["created"]}
    done |= {e["device_id"] for e in second["skipped_devices"] if e["status"] == "exists"}
    assert done == set(device_ids)
    assert_each_once(netbox, device_ids)
    print(f"\nrestart: first run created {len(first['created'])}, failed {len(first['failures'])}, "
          f"warnings {first['warnings_list']}; re-run created {len(second['created'])}; first failure: "
          f"{(first['failures'] or [{}])[0].get('reason')}")


# --------------------------------------------------------------------------------------------------------------
# 9: bulk writes, and the import against a raw pynetbox bulk create


def test_bulk_writes_and_benchmark(main, netbox, world):
    real = main.real
    devices = [entry for entry in real["created"] if entry["kind"] == "device"]
    members = sum(len((entry["virtual_chassis"] or {}).get("members") or ()) for entry in devices)
    assert len(devices) >= 250
    writes = real["api_calls"]["netbox_writes"]
    assert writes <= math.ceil(len(devices) / BATCH) + 10
    assert writes <= 300 / BATCH + 10
    assert real["api_calls"]["librenms"]["list_devices"] == 1

    # the same number of equivalent devices (same sites, types, roles, platforms), created with raw pynetbox
    templates = ih.imported_devices(netbox)
    count = 300
    payloads = []
    for number in range(count):
        template = templates[number % len(templates)]
        payloads.append({
            "name": f"dit-raw-{number:04d}", "site": nested_id(template["site"]),
            "device_type": nested_id(template["device_type"]), "role": nested_id(template["role"]),
            "platform": nested_id(template["platform"]), "serial": f"DITRAW{number:05d}", "status": "active",
            "comments": "raw pynetbox bulk create (benchmark)", "tags": [world.tag],
            "custom_fields": {"librenms_id": {"dit-raw": number}},
        })
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        netbox.dcim.devices.create(payloads[start:start + BATCH])
    raw = time.perf_counter() - started
    objects = len(devices) + members
    figures = {
        "import_wall_time_s": round(main.elapsed, 2),
        "check_mode_wall_time_s": round(main.check_time, 2), "rerun_wall_time_s": round(main.rerun_time, 2),
        "import_devices": len(devices), "import_stack_members": members, "import_objects": objects,
        "import_netbox_writes": writes, "import_netbox_requests": real["api_calls"]["netbox"],
        "import_librenms_calls": real["api_calls"]["librenms"],
        "raw_pynetbox_wall_time_s": round(raw, 2), "raw_pynetbox_devices": count,
        "ratio_import_over_raw": round(main.elapsed / raw, 2),
        "ratio_per_object": round((main.elapsed / objects) / (raw / count), 2),
        "change_log_before_rerun": main.counts[2], "change_log_after_rerun": main.counts[3],
        "batch_size": BATCH,
    }
    print(f"\nimport benchmark: {json.dumps(figures)}")
    BENCHMARK_FILE.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARK_FILE.write_text(json.dumps(figures, indent=2) + "\n")
    assert Path(BENCHMARK_FILE).exists()
