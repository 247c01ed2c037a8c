"""Existing devices as netbox-librenms-plugin checks them, and the damage a failed run can leave, against the real
NetBox and the LibreNMS simulator (seed 42, 60 devices), through real ansible-playbook runs.

Each test builds the NetBox state it needs through the API, runs the modules, and proves the outcome by what NetBox
holds: the count of objects per librenms_id and per virtual chassis domain.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from harness import netbox_estate as nbe
from harness.librenms_sim.estate import MX_LINE_CARDS
from tests.integration import import_helpers as ih
from tests.integration.simulators import estate_rows, private_simulator

pytestmark = pytest.mark.integration

IMPORT = "netbox_librenms.sync.librenms_device_import"
FILTER = "netbox_librenms.sync.librenms_device_filter"
SEED, SIZE = 42, 60
TAG = "peer-checks"
MX_ID = 47  # sin1-edge-rtr0047: an MX router whose inventory has three FPC line cards
MX_TYPE = "PEER MX204"


def args(device_ids=None, **overrides) -> dict:
    base = {"site_map": nbe.SITE_MAP, "device_type_map": dict(nbe.DEVICE_TYPE_MAP), "role": nbe.DEFAULT_ROLE,
            "role_rules": nbe.ROLE_RULES}
    if device_ids is not None:
        base["devices"] = list(device_ids)
    base.update(overrides)
    return base


def search_args(**overrides) -> dict:
    return args(all_devices=True, vc_detection=True, **overrides)


@pytest.fixture(scope="module")
def sim():
    """The module's own simulator; `rows` are the device rows, specials and inventories it serves."""
    with private_simulator("peer", SEED, SIZE) as server:
        server.rows = estate_rows(SEED, SIZE)
        yield server


@pytest.fixture(scope="module")
def rows(sim):
    return sim.rows


@pytest.fixture(scope="module")
def world(netbox, rows):
    ih.wipe_imports(netbox)
    ih.remove_tagged(netbox, TAG)
    by_id = rows.by_id
    estate = nbe.build_estate(netbox, serials={i: by_id[i]["serial"] for i in range(24, 32)},
                              ips={i: by_id[i]["ip"] for i in range(24, 32)})
    tag = netbox.extras.tags.create(name=TAG, slug=TAG, color="009688")
    juniper = netbox.dcim.manufacturers.get(slug="dft-juniper")
    mx_type = netbox.dcim.device_types.create(manufacturer=juniper.id, model=MX_TYPE, slug="peer-mx204", tags=[tag.id])
    try:
        yield SimpleNamespace(estate=estate, tag=tag.id, mx_type=mx_type.id)
    finally:
        ih.wipe_imports(netbox)
        ih.remove_tagged(netbox, TAG)
        nbe.remove_estate(netbox)


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    variables = dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token)
    variables.pop("NETBOX_LIBRENMS_REDIS_URL", None)  # every run in the task, no cache of reference data
    return variables


@pytest.fixture(scope="module")
def run(env, tmp_path_factory, world):
    workdir = tmp_path_factory.mktemp("peer-checks")

    def one(module, module_args, *extra):
        return ih.run_loop(env, workdir, module, [module_args], *extra)[0]

    return one


def rows_by_id(result) -> dict:
    assert result.get("failed") is not True, result.get("msg")
    return {row["device_id"]: row for row in result["devices"]}


def devices_named(netbox, name) -> list:
    return [d for d in ih.all_devices(netbox) if d["name"].lower() == name.lower()]


def chassis_with_domain(netbox, domain) -> list:
    return [vc for vc in ih.all_virtual_chassis(netbox) if vc.get("domain") == domain]


def assert_once(netbox, device_id, domain=None) -> None:
    linked = ih.devices_by_librenms_id(netbox).get(device_id, [])
    assert len(linked) == 1, [d["name"] for d in linked]
    if domain:
        assert len(chassis_with_domain(netbox, domain)) == 1, chassis_with_domain(netbox, domain)


def assert_rerun_changes_nothing(netbox, run, module_args) -> None:
    before = ih.change_count(netbox)
    again = run(IMPORT, module_args)
    assert again.get("failed") is not True, again.get("msg")
    assert again["changed"] is False and again["created"] == [] and again["updated"] == [], again
    assert ih.change_count(netbox) == before


# --------------------------------------------------------------------------------------------------------------
# 1. A NetBox outage in the virtual chassis phase: the chassis it leaves is reused, its duplicates removed


def imported_stack(netbox, rows, run) -> SimpleNamespace:
    """fra2-stack-sw02 (master at position 2, two members) imported afresh, its members then deleted: what an
    outage leaves once the chassis exists. The chassis' layout as the import made it is kept."""
    device_id = rows.specials["cisco_stack_named"]
    domain = f"librenms-default-{device_id}"
    ih.wipe_imports(netbox, [device_id])
    first = run(IMPORT, args([device_id]))
    assert first.get("failed") is not True, first.get("msg")
    (created,) = first["created"]
    (vc,) = chassis_with_domain(netbox, domain)
    layout = sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc["id"]))
    for member in netbox.dcim.devices.filter(virtual_chassis_id=vc["id"]):
        if member.id != created["netbox_id"]:
            member.delete()
    return SimpleNamespace(device_id=device_id, domain=domain, vc=vc, layout=layout, master_id=created["netbox_id"],
                           members=created["virtual_chassis"]["members"])


def test_chassis_left_by_an_outage_is_reused_and_its_duplicate_removed(world, netbox, rows, run):
    stack = imported_stack(netbox, rows, run)
    device_id, domain, vc, layout, master_id, members = (stack.device_id, stack.domain, stack.vc, stack.layout,
                                                         stack.master_id, stack.members)
    # What the outage left: the chassis was created, then NetBox went away before the master joined it (so no
    # member was created either). An earlier version's re-run then added a second, empty chassis with the domain.
    netbox.dcim.virtual_chassis.update([{"id": vc["id"], "master": None}])
    netbox.dcim.devices.update([{"id": master_id, "virtual_chassis": None, "vc_position": None}])
    netbox.dcim.virtual_chassis.create(name=vc["name"], domain=domain)
    assert len(chassis_with_domain(netbox, domain)) == 2

    check = run(IMPORT, args([device_id]), "--check", "--diff")
    assert check["changed"] is True
    assert len(chassis_with_domain(netbox, domain)) == 2  # check mode wrote nothing

    repair = run(IMPORT, args([device_id]))
    assert repair.get("failed") is not True, repair.get("msg")
    assert_once(netbox, device_id, domain)
    assert [entry["domain"] for entry in check.get("removed_virtual_chassis", ())] == [domain]
    assert repair["created"] == [] and repair["failures"] == [] and repair["changed"] is True
    assert [entry["domain"] for entry in repair["removed_virtual_chassis"]] == [domain]
    (kept,) = chassis_with_domain(netbox, domain)
    assert kept["id"] == vc["id"] and kept["master"]["id"] == master_id  # the outage's chassis, reused
    assert sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=kept["id"])) == layout
    assert sorted(repair["updated"][0]["virtual_chassis"]["members"]) == sorted(members)
    assert_once(netbox, device_id, domain)
    assert_rerun_changes_nothing(netbox, run, args([device_id]))


def test_a_master_whose_members_were_never_created_gets_them(world, netbox, rows, run):
    """The outage came later: the master had joined its chassis, the members were not created yet."""
    stack = imported_stack(netbox, rows, run)
    device_id, domain, vc, layout, master_id = stack.device_id, stack.domain, stack.vc, stack.layout, stack.master_id
    before = ih.change_count(netbox)
    check = run(IMPORT, args([device_id]), "--check")
    assert check["changed"] is True and ih.change_count(netbox) == before
    repair = run(IMPORT, args([device_id]))
    assert repair.get("failed") is not True, repair.get("msg")
    assert repair["changed"] is True and repair["created"] == [] and repair["failures"] == []
    assert sorted(repair["updated"][0]["virtual_chassis"]["members"]) == sorted(stack.members)
    (kept,) = chassis_with_domain(netbox, domain)
    assert kept["id"] == vc["id"] and kept["master"]["id"] == master_id
    assert sorted((d.vc_position, d.name) for d in netbox.dcim.devices.filter(virtual_chassis_id=vc["id"])) == layout
    assert_once(netbox, device_id, domain)
    assert_rerun_changes_nothing(netbox, run, args([device_id]))


def test_a_new_stack_reuses_the_empty_chassis_of_its_domain(world, netbox, rows, run):
    """The master itself was lost too (deleted by hand after the outage): the import creates it again, once."""
    device_id = rows.specials["cisco_stack_relpos0"]
    domain = f"librenms-default-{device_id}"
    ih.wipe_imports(netbox, [device_id])
    leftover = netbox.dcim.virtual_chassis.create(name="lon1-stack-sw01", domain=domain)
    result = run(IMPORT, args([device_id]))
    assert result.get("failed") is not True, result.get("msg")
    assert_once(netbox, device_id, domain)
    assert result["created"][0]["virtual_chassis"]["id"] == leftover.id
    assert_rerun_changes_nothing(netbox, run, args([device_id]))


# --------------------------------------------------------------------------------------------------------------
# 2. A formula in the review CSV's name column never reaches NetBox


def test_a_formula_name_in_the_selections_file_is_refused(world, netbox, rows, run, tmp_path):
    device_id = rows.specials["no_inventory"]
    ih.wipe_imports(netbox, [device_id])
    report = tmp_path / "review.csv"
    found = run(FILTER, search_args(report_path=str(report)))
    assert found.get("failed") is not True, found.get("msg")
    lines = report.read_text().splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if text.startswith(f"{device_id},"))
    cells = lines[line - 1].split(",")
    cells[2] = "\"'=cmd|' /C calc'!A0\""  # as the report escapes it: the reader must not unescape it into NetBox
    lines[line - 1] = ",".join(cells)
    report.write_text("\n".join(lines) + "\n")
    before = ih.change_count(netbox)
    result = run(IMPORT, args(selections_file=str(report)))
    assert result.get("failed") is True
    assert f"{report} line {line}, column name: " in result["msg"] and "runs as a formula" in result["msg"]
    assert "Traceback" not in json.dumps(result) and len(result["msg"]) < 2000
    assert ih.change_count(netbox) == before
    assert not [d for d in ih.all_devices(netbox) if d["name"].startswith(("=", "'="))]


# --------------------------------------------------------------------------------------------------------------
# 3. A device NetBox holds as a VM is a VM row


def test_a_device_netbox_holds_as_a_vm_is_a_vm_row(world, netbox, rows, run):
    device_id = rows.specials["no_hardware"]  # as a device it is blocked: no hardware, no device type
    vm = netbox.virtualization.virtual_machines.create(
        name="par1-acc-nohw20", cluster=world.estate["cluster"], tags=[world.tag],
        custom_fields={"librenms_id": {"default": device_id}})
    try:
        row = rows_by_id(run(FILTER, search_args()))[device_id]
        assert (row["status"], row["import_as"]) == ("exists", "vm")
        assert row["existing"]["kind"] == "vm" and row["existing"]["id"] == vm.id
        assert not [note for note in row["issues"] + row["review"] if "device type" in note or "site" in note]
        assert row["device_type"] is None and row["cluster"]["name"] == nbe.CLUSTER
    finally:
        vm.delete()


# --------------------------------------------------------------------------------------------------------------
# 4. A legacy bare librenms_id: never ready, migrated on request


def test_a_legacy_bare_id_is_not_imported_twice_and_is_migrated_on_request(world, netbox, rows, run):
    device_id = rows.specials["dependency_child"]  # NetBox: dft-legacy-child with librenms_id 24 (no server key)
    legacy = netbox.dcim.devices.get(world.estate["devices"]["dft-legacy-child"])
    assert legacy.custom_fields["librenms_id"] == device_id
    default_row = rows_by_id(run(FILTER, search_args()))[device_id]
    assert default_row["status"] == "exists"
    assert any(w.startswith("legacy id to migrate: NetBox device 'dft-legacy-child'") for w in default_row["warnings"])
    lab = rows_by_id(run(FILTER, search_args(server_key="lab")))[device_id]
    assert lab["status"] == "needs_review"
    assert any(note.startswith("legacy id: which server?") for note in lab["review"]), lab["review"]

    before = ih.change_count(netbox)
    skipped = run(IMPORT, args([device_id], server_key="lab"))
    assert skipped["created"] == [] and skipped["skipped_devices"][0]["status"] == "needs_review"
    assert ih.change_count(netbox) == before
    check = run(IMPORT, args([device_id], server_key="lab", migrate_legacy_ids=True), "--check")
    assert check["changed"] is True
    assert check["updated"][0]["changes"] == {"librenms_id": {"before": device_id, "after": {"lab": device_id}}}
    assert ih.change_count(netbox) == before
    migrated = run(IMPORT, args([device_id], server_key="lab", migrate_legacy_ids=True))
    assert migrated["changed"] is True and migrated["created"] == []
    assert netbox.dcim.devices.get(legacy.id).custom_fields["librenms_id"] == {"lab": device_id}
    assert_rerun_changes_nothing(netbox, run, args([device_id], server_key="lab", migrate_legacy_ids=True))
    assert len(devices_named(netbox, "lon1-acc-child24")) == 0


# --------------------------------------------------------------------------------------------------------------
# 5. Name drift: NetBox holds the device under another of its names


def test_a_device_held_under_its_hostname_is_found_and_not_created_again(world, netbox, rows, run):
    device_id = rows.specials["cisco_standalone_stackable"]  # we name it par1-acc-sw05 (sysName)
    ih.wipe_imports(netbox, [device_id])
    fqdn = rows.by_id[device_id]["hostname"]
    held = netbox.dcim.devices.create(name=fqdn, site=world.estate["sites"]["PAR1"], tags=[world.tag],
                                      role=world.estate["roles"]["dft-access"],
                                      device_type=world.estate["device_types"]["C9200L-48P-4G"])
    try:
        row = rows_by_id(run(FILTER, search_args()))[device_id]
        assert row["status"] == "exists" and row["name"] == "par1-acc-sw05"
        assert (row["existing"]["id"], row["existing"]["match"]) == (held.id, "hostname")
        result = run(IMPORT, args([device_id]))
        assert result["created"] == [] and "matched by hostname" in result["skipped_devices"][0]["reason"]
        assert devices_named(netbox, "par1-acc-sw05") == [] and len(devices_named(netbox, fqdn)) == 1
    finally:
        held.delete()


# --------------------------------------------------------------------------------------------------------------
# 6. Drift warnings on a linked device, in the search rows and the report


def test_drift_of_a_linked_device_is_warned_in_the_rows_and_the_report(world, netbox, rows, run, tmp_path):
    device_id = rows.specials["no_inventory"]  # lon1-leaf-noinv10, an Arista
    ih.wipe_imports(netbox, [device_id])
    created = run(IMPORT, args([device_id]))["created"][0]
    netbox.dcim.devices.update([{"id": created["netbox_id"], "name": "leaf-renamed", "serial": "OLD-SERIAL",
                                 "device_type": world.estate["device_types"]["EX2300-24P"]}])
    report = tmp_path / "review.csv"
    row = rows_by_id(run(FILTER, search_args(report_path=str(report))))[device_id]
    assert row["status"] == "exists"
    drift = [w.split(":")[0] for w in row["warnings"]]
    assert drift == ["serial changed", "name differs", "device type differs"], row["warnings"]
    assert "the hardware may have been replaced" in row["warnings"][0]
    written = next(line for line in report.read_text().splitlines() if line.startswith(f"{device_id},"))
    for text in ("serial changed", "name differs", "device type differs"):
        assert text in written


# --------------------------------------------------------------------------------------------------------------
# 7. Juniper MX line cards are not virtual chassis members


def test_an_mx_routers_line_cards_are_not_members(world, netbox, rows, run, sim):
    assert rows.by_id[MX_ID]["hardware"].startswith("Juniper MX")
    fpcs = [r for r in rows.inventory(MX_ID) if r["entPhysicalVendorType"] == "FPC"]
    assert len(fpcs) == len(MX_LINE_CARDS) >= 2
    mapping = dict(nbe.DEVICE_TYPE_MAP, **{rows.by_id[MX_ID]["hardware"]: "peer-mx204"})
    row = rows_by_id(run(FILTER, search_args(device_type_map=mapping)))[MX_ID]
    assert row["status"] == "ready" and row["virtual_chassis"] is None
    ih.wipe_imports(netbox, [MX_ID])
    result = run(IMPORT, args([MX_ID], device_type_map=mapping))
    assert [(e["name"], e["virtual_chassis"]) for e in result["created"]] == [(row["name"], None)]
    assert_once(netbox, MX_ID)
    assert chassis_with_domain(netbox, f"librenms-default-{MX_ID}") == []
    assert not [d for d in ih.all_devices(netbox) if d["name"].startswith(row["name"] + "-M")]


# --------------------------------------------------------------------------------------------------------------
# 8. Without virtual chassis, the inventory is still read where the device type needs it


def test_without_chassis_creation_the_master_model_still_gives_the_device_type(world, netbox, rows, run, sim):
    device_id = rows.specials["juniper_vc"]  # its hardware string matches no device type; its master's model does
    ih.wipe_imports(netbox, [device_id])
    others = [rows.specials["cisco_stack_named"]]  # hardware matches: no inventory read for it
    ih.wipe_imports(netbox, others)
    sim.control.reset()
    result = run(IMPORT, args([device_id, *others], create_virtual_chassis=False))
    assert result.get("failed") is not True, result.get("msg")
    created = {e["device_id"]: e for e in result["created"]}
    assert set(created) == {device_id, *others} and all(e["virtual_chassis"] is None for e in created.values())
    assert sim.control.stats()["by_endpoint"]["inventory_all"] == 1
    device = netbox.dcim.devices.get(created[device_id]["netbox_id"])
    assert device.device_type.model == "EX4300-48T" and device.name == "zrh1-vc-sw06"
    assert chassis_with_domain(netbox, f"librenms-default-{device_id}") == []
    assert_once(netbox, device_id)
