"""librenms_device_filter against real NetBox and the LibreNMS simulator, through a real ansible-playbook.

The NetBox side (netbox_estate.py) matches the simulator's estate (seed 42); every special device of the estate gets
its status and its reason asserted. The LibreNMS side is a private simulator started for this module (same code as
the shared one), so its fault switches, its counters and a 600-device estate never disturb other tests running
against the shared simulator at the same time, and their requests never land in these counters.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import socket
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import ResultCache
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.shape import ROW_KEYS

from harness import netbox_estate as nbe
from harness.librenms_sim import SECRET_MARKER
from harness.settings import REPO_ROOT
from tests.integration.simulators import estate_rows, private_simulator

pytestmark = pytest.mark.integration

MODULE = "netbox_librenms.sync.librenms_device_filter"
SEED, SIZE = 42, 300

# Every case of a batch runs as one iteration of a loop, so Ansible starts once per batch.
_LOOP_PLAYBOOK = """
- name: Run the filter module once per case and save what it registered
  hosts: localhost
  gather_facts: false
  tasks:
    - name: The task under test
      netbox_librenms.sync.librenms_device_filter: "{{ cases[item] }}"
      loop: "{{ range(cases | length) | list }}"
      register: outcome
      ignore_errors: true
    - name: Save the results for the test (also under --check)
      check_mode: false
      ansible.builtin.copy:
        content: "{{ outcome.results | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""


class Runner:
    """ansible-playbook runs of the module with a fresh directory each (no stale result can be read back)."""

    def __init__(self, env: dict, workdir: Path) -> None:
        self.env = env
        self.workdir = workdir

    def many(self, cases: list, *extra: str) -> list:
        run_dir = Path(tempfile.mkdtemp(dir=self.workdir))
        playbook = run_dir / "play.yml"
        playbook.write_text(_LOOP_PLAYBOOK)
        result_path = run_dir / "results.json"
        variables = run_dir / "vars.json"
        variables.write_text(json.dumps({"cases": cases, "result_path": str(result_path)}))
        completed = subprocess.run(
            [str(REPO_ROOT / ".venv" / "bin" / "ansible-playbook"), str(playbook), "-e", f"@{variables}", *extra],
            env=self.env, capture_output=True, text=True, timeout=600, check=False,
        )
        if not result_path.exists():
            raise AssertionError(f"ansible-playbook failed:\n{completed.stdout}\n{completed.stderr}")
        results = json.loads(result_path.read_text())
        for result in results:
            result.pop("item", None)  # the case's index
            result["_stdout"] = completed.stdout
            result["_stderr"] = completed.stderr
        return results

    def one(self, args: dict, *extra: str) -> dict:
        return self.many([args], *extra)[0]


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def sim():
    """A private LibreNMS simulator (seed 42, size 300) with its control client."""
    with private_simulator("dft", SEED, SIZE) as server:
        yield server


@pytest.fixture()
def fresh_sim(sim):
    """The private simulator with counters and switches reset before and after the test."""
    sim.control.reset()
    yield sim
    sim.control.reset()


@pytest.fixture(scope="module")
def sim_rows():
    """The simulator's device rows by id, computed without HTTP (the expected side of the assertions)."""
    return estate_rows(SEED, SIZE)


@pytest.fixture(scope="module")
def nb_estate(netbox, sim_rows):
    rows = sim_rows.by_id
    created = nbe.build_estate(
        netbox,
        serials={device_id: rows[device_id]["serial"] for device_id in range(24, 32)},
        ips={device_id: rows[device_id]["ip"] for device_id in range(24, 32)},
    )
    yield created
    nbe.remove_estate(netbox)


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    """The private simulator, and no Redis: the module searches synchronously and reads NetBox every time.

    (With Redis the reference data may come from a cache shared with other tests; see the Redis test below.)
    """
    environment = dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token)
    environment.pop("NETBOX_LIBRENMS_REDIS_URL", None)
    return environment


@pytest.fixture(scope="module")
def redis_runner(ansible_env, sim, tmp_path_factory):
    """As runner, with the Redis URL of the test environment."""
    assert ansible_env.get("NETBOX_LIBRENMS_REDIS_URL")
    return Runner(dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token),
                  tmp_path_factory.mktemp("device-filter-redis"))


@pytest.fixture(scope="module")
def runner(env, tmp_path_factory):
    return Runner(env, tmp_path_factory.mktemp("device-filter"))


@pytest.fixture(scope="module")
def secrets_to_hide(services, sim):
    return [SECRET_MARKER, sim.token, services["netbox"]["token_v2"], services["netbox"]["token_v1"],
            services["librenms"]["token"]]


def full_args(**overrides) -> dict:
    """The whole-estate search every status assertion is made on."""
    args = {
        "all_devices": True,
        "vc_detection": True,
        "site_map": nbe.SITE_MAP,
        "device_type_map": nbe.DEVICE_TYPE_MAP,
        "role": nbe.DEFAULT_ROLE,
        "role_rules": nbe.ROLE_RULES,
        "selections": {
            "11": {"as_vm": True, "cluster": nbe.CLUSTER},
            "1": {"rack": nbe.RACK},
        },
    }
    args.update(overrides)
    return args


@pytest.fixture(scope="module")
def main_run(nb_estate, sim, runner):
    """One full run, reused by every assertion on statuses; the simulator's counters are read right after it."""
    sim.control.reset()
    result = runner.one(full_args())
    stats = sim.control.stats()
    assert result.get("failed") is not True, result.get("msg")
    return SimpleNamespace(result=result, stats=stats, by_id={d["device_id"]: d for d in result["devices"]})


@pytest.fixture(scope="module")
def variant_run(nb_estate, sim, runner):
    """Disabled and ignored shown, strip_domain, one duplicate renamed, the SVL master chosen, a rack elsewhere."""
    sim.control.reset()
    selections = dict(full_args()["selections"])
    selections.update({
        "15": {"name": "switch-a"},
        "4": {"vc_master": "2"},
        "2": {"rack": nbe.RACK},  # fra2-stack-sw02 is in FRA2, the rack in LON1
    })
    result = runner.one(full_args(show_disabled=True, show_ignored=True, strip_domain=True, selections=selections))
    assert result.get("failed") is not True, result.get("msg")
    return SimpleNamespace(result=result, by_id={d["device_id"]: d for d in result["devices"]})


# --------------------------------------------------------------------------------------------------------------
# Helpers


def dig(obj, path: str):
    for key in path.split("."):
        obj = None if obj is None else obj.get(key)
    return obj


def status_map(result: dict) -> dict:
    return {device["device_id"]: device["status"] for device in result["devices"]}


def assert_clean_failure(result: dict, *expected: str) -> None:
    """failed, one clear msg naming what is wrong, no traceback anywhere."""
    assert result.get("failed") is True, result
    msg = result.get("msg")
    assert isinstance(msg, str) and msg, result
    for text in expected:
        assert text in msg, msg
    # ansible-core 2.19+ adds this marker to every failed result when tracebacks are not captured
    assert result.get("exception", "(traceback unavailable)") == "(traceback unavailable)", result["exception"]
    assert "module_stderr" not in result, result.get("module_stderr")
    assert "Traceback" not in json.dumps(result), msg


def assert_no_secret(result: dict, hidden: list) -> None:
    text = json.dumps(result, ensure_ascii=False)
    for secret in hidden:
        assert secret not in text, f"{secret[:6]}... leaked"


# --------------------------------------------------------------------------------------------------------------
# Every special device: status and reason.  (path, expected): a list or text field must contain the expected
# text; any other field must equal it.

READY_CHECKS = {
    "cisco_stack_relpos0": [("device_type.matched_by", "part_number"), ("site.matched_by", "site_map"),
                            ("rack.name", nbe.RACK), ("role.name", "dft-access")],
    "cisco_stack_named": [("virtual_chassis.master_position", 2), ("site.matched_by", "name"),
                          ("device_type.matched_by", "model")],
    "cisco_stack_nullserial": [("virtual_chassis.master_position", 1), ("site.name", "NYC3")],
    "cisco_standalone_stackable": [("virtual_chassis", None), ("device_type.name", "C9200L-48P-4G")],
    "juniper_vc": [("device_type.matched_by", "chassis_model"), ("device_type.name", "EX4300-48T"),
                   ("site.name", "Zürich DC1"), ("site.matched_by", "name"), ("platform.matched_by", "slug")],
    "juniper_single": [("virtual_chassis", None), ("device_type.matched_by", "device_type_map")],
    "aruba_vsf": [("device_type.matched_by", "chassis_part_number"),
                  ("warnings", "no NetBox platform matches os 'arubaos-cx'")],
    "junos_evo_class0": [("virtual_chassis", None), ("device_type.name", "QFX5130-32CD")],
    "no_inventory": [("virtual_chassis", None), ("device_type.name", "DCS-7050SX-64")],
    "vm_server": [("import_as", "vm"), ("cluster.name", nbe.CLUSTER), ("role.name", "dft-server"),
                  ("site", None), ("device_type", None)],
    "down_device": [("librenms_status", False), ("device_type.name", "C9300-48P")],
    "fqdn_device": [("name", "core1.lon1.example.net"), ("role.name", "dft-core")],
    "unicode_device": [("name", "zürich-sw-ö1"), ("site.name", "Zürich DC1")],
    "ip_hostname": [("name", "10.250.0.21"), ("site.name", "PAR1")],
    "no_sysname": [("name", "sin1-fw-nosys22.example.net"), ("device_type.name", "FortiGate-60F")],
}
OTHER_CHECKS = {
    "cisco_svl_nomaster": ("needs_review", [
        ("review", "cannot tell which stack member is this LibreNMS device: no member serial"),
        ("review", "(position 1)"), ("review", "(position 2)"), ("review", "set selections.4.vc_master"),
        ("virtual_chassis.master_position", None), ("device_type.matched_by", "device_type_map"),
    ]),
    "dup_sysname_a": ("blocked", [
        ("name", "switch"),
        ("issues", "name 'switch' is also the name of LibreNMS device 16 (lon1-dup-b.example.net) in site 'LON1'"),
    ]),
    "dup_sysname_b": ("blocked", [
        ("name", "switch"),
        ("issues", "name 'switch' is also the name of LibreNMS device 15 (lon1-dup-a.example.net) in site 'LON1'"),
    ]),
    "long_name_device": ("blocked", [
        ("issues", "is 88 characters long and NetBox allows 64: set selections.19.name (for example "
                   "'fra2-very-long-sysname-access-switch-building-c-floor-3-room-317')"),
    ]),
    "no_hardware": ("blocked", [
        ("issues", "LibreNMS reports no hardware for this device, so no device type can be matched"),
        ("device_type", None),
    ]),
    "unset_ip": ("blocked", [
        ("issues", f"no NetBox device type has part number or model {nbe.UNMATCHED_HARDWARE!r} or 'JL724A'"),
        ("ip", None),
    ]),
    "dependency_child": ("exists", [("existing.match", "librenms_id"), ("existing.name", "dft-legacy-child"),
                                    ("existing.conflict", None)]),
    "for_existing_by_id": ("exists", [("existing.match", "librenms_id"), ("existing.name", "dft-byid-other"),
                                      ("existing.conflict", None), ("existing.kind", "device")]),
    "for_existing_by_name": ("exists", [("existing.match", "name"), ("existing.name", "lon1-leaf-byname26"),
                                        ("existing.conflict", None)]),
    "for_existing_by_serial": ("exists", [("existing.match", "serial"),
                                          ("existing.name", "lon1-leaf-byserial27.example.net"),
                                          ("existing.conflict", None)]),
    "for_existing_by_ip": ("exists", [("existing.match", "primary_ip"), ("existing.name", "dft-byip-other"),
                                      ("existing.conflict", None)]),
    "for_conflict_serial": ("conflict", [
        ("existing.match", "serial"),
        ("existing.conflict", "already belongs to NetBox device 'dft-cfserial-other'"),
    ]),
    "for_conflict_name": ("conflict", [
        ("existing.match", "name"),
        ("existing.conflict", "name 'lon1-leaf-cfname30' is taken: NetBox device 'lon1-leaf-cfname30' has serial "
                              "'DFT-OTHER-SERIAL' but LibreNMS reports"),
    ]),
    "for_conflict_librenms_id": ("conflict", [
        ("existing.match", "name"),
        ("existing.conflict", f"is linked to LibreNMS device {nbe.FOREIGN_LIBRENMS_ID} of server 'default'"),
    ]),
}
EXPECTED = {**{name: ("ready", checks) for name, checks in READY_CHECKS.items()}, **OTHER_CHECKS}
HIDDEN_BY_DEFAULT = ("disabled_device", "ignored_device")


def check_device(device: dict, status: str, checks: list) -> None:
    assert device["status"] == status, device
    if status == "ready":
        assert device["issues"] == [] and device["review"] == [], device
    elif status == "needs_review":
        assert device["issues"] == [] and device["review"], device
    elif status == "blocked":
        assert device["issues"], device
    for path, expected in checks:
        actual = dig(device, path)
        if isinstance(actual, (list, str)) and isinstance(expected, str) and path not in ("name", "ip"):
            text = " | ".join(actual) if isinstance(actual, list) else actual
            assert expected in text, f"{path}: {expected!r} not in {text!r}"
        else:
            assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_every_special_device_of_the_estate_is_covered(sim_rows):
    assert set(EXPECTED) | set(HIDDEN_BY_DEFAULT) == set(sim_rows.specials)


@pytest.mark.parametrize("special", sorted(EXPECTED))
def test_special_device_status_and_reason(main_run, sim_rows, special):
    device_id = sim_rows.specials[special]
    status, checks = EXPECTED[special]
    check_device(main_run.by_id[device_id], status, checks)


def test_conflict_serial_names_the_librenms_serial(main_run, sim_rows):
    device_id = sim_rows.specials["for_conflict_serial"]
    serial = sim_rows.by_id[device_id]["serial"]
    assert main_run.by_id[device_id]["existing"]["conflict"] == (
        f"serial {serial} already belongs to NetBox device 'dft-cfserial-other'")


def test_stack_members_positions_and_master(main_run, sim_rows):
    inventory_serials = {
        special: {row["entPhysicalName"]: row["entPhysicalSerialNum"] for row in sim_rows.inventory(device_id)}
        for special, device_id in sim_rows.specials.items()
        if special in ("cisco_stack_relpos0", "cisco_stack_named", "cisco_stack_nullserial", "cisco_svl_nomaster",
                       "juniper_vc", "aruba_vsf")
    }

    def members(special):
        vc = main_run.by_id[sim_rows.specials[special]]["virtual_chassis"]
        return vc["kind"], [(m["position"], m["serial"], m["is_master"], m["name"]) for m in vc["members"]]

    serials = inventory_serials["cisco_stack_relpos0"]
    # entPhysicalParentRelPos 0, 2, 3: the names "1", "2", "3" give the positions
    assert members("cisco_stack_relpos0") == ("stack", [
        (1, serials["1"], True, "lon1-stack-sw01-M1"),
        (2, serials["2"], False, "lon1-stack-sw01-M2"),
        (3, serials["3"], False, "lon1-stack-sw01-M3"),
    ])
    serials = inventory_serials["cisco_stack_named"]
    assert members("cisco_stack_named") == ("stack", [
        (1, serials["Switch 1 Chassis"], False, "fra2-stack-sw02-M1"),
        (2, serials["Switch 2 Chassis"], True, "fra2-stack-sw02-M2"),
    ])
    serials = inventory_serials["cisco_stack_nullserial"]
    assert serials["Switch 2"] is None
    assert members("cisco_stack_nullserial") == ("stack", [
        (1, serials["Switch 1"], True, "nyc3-stack-sw03-M1"),
        (2, None, False, "nyc3-stack-sw03-M2"),
        (3, serials["Switch 3"], False, "nyc3-stack-sw03-M3"),
    ])
    nullserial = main_run.by_id[sim_rows.specials["cisco_stack_nullserial"]]["virtual_chassis"]["members"]
    assert [m["model"] for m in nullserial] == ["C9200L-48P-4G", "C9200L-48P-4G", None]  # "" model is no model
    serials = inventory_serials["cisco_svl_nomaster"]
    assert members("cisco_svl_nomaster") == ("stack", [
        (1, serials["Chassis 1"], False, "lon1-core-svl01-M1"),
        (2, serials["Chassis 2"], False, "lon1-core-svl01-M2"),
    ])
    serials = inventory_serials["juniper_vc"]
    assert members("juniper_vc") == ("juniper_vc", [
        (1, serials["FPC: EX4300-48T @ 0/*/*"], True, "zrh1-vc-sw06-M1"),
        (2, serials["FPC: EX4300-48T @ 1/*/*"], False, "zrh1-vc-sw06-M2"),
    ])
    assert [m["model"] for m in main_run.by_id[sim_rows.specials["juniper_vc"]]["virtual_chassis"]["members"]] == [
        "EX4300-48T", "EX4300-48T"]  # the descr's model, not the 650-044930 part number
    serials = inventory_serials["aruba_vsf"]
    assert members("aruba_vsf") == ("aruba_vsf", [
        (1, serials["Chassis 1"], True, "fra2-agg-vsf08-M1"),
        (2, serials["Chassis 2"], False, "fra2-agg-vsf08-M2"),
    ])


def test_svl_review_lists_every_member_serial(main_run, sim_rows):
    device_id = sim_rows.specials["cisco_svl_nomaster"]
    serials = [row["entPhysicalSerialNum"] for row in sim_rows.inventory(device_id)
               if row["entPhysicalClass"] == "chassis"]
    review = main_run.by_id[device_id]["review"][0]
    assert f"{serials[0]} (position 1), {serials[1]} (position 2)" in review
    assert repr(sim_rows.by_id[device_id]["serial"]) in review


def test_disabled_and_ignored_are_absent_by_default(main_run, sim_rows):
    hidden = {row["device_id"] for row in sim_rows.by_id.values() if int(row["disabled"]) or int(row["ignore"])}
    assert sim_rows.specials["disabled_device"] in hidden and sim_rows.specials["ignored_device"] in hidden
    assert hidden.isdisjoint(main_run.by_id)
    assert set(main_run.by_id) == set(sim_rows.by_id) - hidden


def test_unmatched_locations_and_summary(main_run, sim_rows):
    devices = main_run.result["devices"]
    lab = [d for d in devices if d["location"] == "Lab"]
    assert lab and all(d["status"] == "blocked" for d in lab)
    assert all("no NetBox site matches location 'Lab': add it to site_map" in d["issues"] for d in lab)
    nowhere = [d for d in devices if d["location"] is None]
    assert nowhere and all(
        "LibreNMS gives no location for this device, so no site can be matched" in d["issues"] for d in nowhere)
    closet = [d for d in devices if (d["location"] or "").startswith("Bldg 7")]
    assert closet and all(d["site"] == {"id": closet[0]["site"]["id"], "name": "DFT AMS Closet",
                                        "matched_by": "site_map"} for d in closet)
    counts = Counter(d["status"] for d in devices)
    no_status = dict.fromkeys(("ready", "needs_review", "blocked", "exists", "conflict"), 0)
    assert main_run.result["summary"] == {**no_status, **counts, "total": len(devices)}
    assert counts["exists"] == 5 and counts["conflict"] == 3
    assert [d["device_id"] for d in devices] == [
        d["device_id"] for d in sorted(devices, key=lambda d: (d["name"].lower(), d["device_id"]))]
    assert main_run.result["changed"] is False
    assert main_run.result["filters"] == {} and main_run.result["server_key"] == "default"


def test_full_run_librenms_calls_one_list_and_one_inventory_per_candidate(main_run):
    total = main_run.result["summary"]["total"]
    assert main_run.result["api_calls"]["librenms"] == {"list_devices": 1, "inventory_all": total}
    by_endpoint = main_run.stats["by_endpoint"]
    assert by_endpoint["list_devices"] == 1
    assert by_endpoint["inventory_all"] == total
    assert main_run.stats["total"] == 1 + total  # nothing else: no get_device, no per-row inventory walk


def test_runs_leak_no_secret(main_run, variant_run, filter_runs, secrets_to_hide):
    """The SNMP secrets the simulator hands out, and every token, appear in no result and no stdout."""
    for result in [main_run.result, variant_run.result, *filter_runs.current.values(), *filter_runs.old.values()]:
        assert_no_secret(result, secrets_to_hide)


# --------------------------------------------------------------------------------------------------------------
# Same answers whatever the LibreNMS version's typing, and in check mode


def vc_map(result: dict) -> dict:
    return {d["device_id"]: (d["virtual_chassis"] or {}).get("master_position", "none") for d in result["devices"]}


def test_check_mode_gives_the_same_result(main_run, runner):
    checked = runner.one(full_args(), "--check")
    assert checked["changed"] is False
    assert checked["devices"] == main_run.result["devices"]
    assert checked["summary"] == main_run.result["summary"]
    assert checked["api_calls"]["netbox"] == main_run.result["api_calls"]["netbox"]


@pytest.mark.parametrize("switch", ["legacy_types", "location_object"])
def test_librenms_typing_variants_give_the_same_statuses(main_run, fresh_sim, runner, switch):
    fresh_sim.control.configure(**{switch: True})
    result = runner.one(full_args())
    assert result.get("failed") is not True, result.get("msg")
    assert status_map(result) == status_map(main_run.result)
    assert vc_map(result) == vc_map(main_run.result)
    assert [d["name"] for d in result["devices"]] == [d["name"] for d in main_run.result["devices"]]


# --------------------------------------------------------------------------------------------------------------
# Flags and selections


def test_disabled_and_ignored_shown_with_the_flags(variant_run, sim_rows):
    disabled = variant_run.by_id[sim_rows.specials["disabled_device"]]
    ignored = variant_run.by_id[sim_rows.specials["ignored_device"]]
    check_device(disabled, "ready", [("disabled", True), ("name", "par1-acc-disabled12")])
    check_device(ignored, "ready", [("ignore", True), ("name", "sin1-acc-ignored13")])
    assert set(variant_run.by_id) == set(sim_rows.by_id)


def test_renaming_one_duplicate_makes_both_importable(variant_run, sim_rows):
    first = variant_run.by_id[sim_rows.specials["dup_sysname_a"]]
    second = variant_run.by_id[sim_rows.specials["dup_sysname_b"]]
    check_device(first, "ready", [("name", "switch-a")])
    check_device(second, "ready", [("name", "switch")])


def test_svl_is_ready_once_the_master_is_chosen(variant_run, sim_rows):
    svl = variant_run.by_id[sim_rows.specials["cisco_svl_nomaster"]]
    check_device(svl, "ready", [("virtual_chassis.master_position", 2)])
    assert [(m["position"], m["is_master"]) for m in svl["virtual_chassis"]["members"]] == [(1, False), (2, True)]


def test_strip_domain_naming(variant_run, sim_rows):
    fqdn = variant_run.by_id[sim_rows.specials["fqdn_device"]]
    check_device(fqdn, "ready", [("name", "core1")])
    check_device(variant_run.by_id[sim_rows.specials["ip_hostname"]], "ready", [("name", "10.250.0.21")])
    check_device(variant_run.by_id[sim_rows.specials["no_sysname"]], "ready", [("name", "sin1-fw-nosys22")])
    check_device(variant_run.by_id[sim_rows.specials["unicode_device"]], "ready", [("name", "zürich-sw-ö1")])
    # the first label of the long sysName is still longer than 64 characters
    check_device(variant_run.by_id[sim_rows.specials["long_name_device"]], "blocked", [
        ("name", "fra2-very-long-sysname-access-switch-building-c-floor-3-room-317-rack-12-u42"),
        ("issues", "is 76 characters long and NetBox allows 64"),
    ])


def test_rack_in_another_site_blocks(variant_run, sim_rows):
    check_device(variant_run.by_id[sim_rows.specials["cisco_stack_named"]], "blocked", [
        ("issues", f"rack {nbe.RACK!r} is not in site 'FRA2 Frankfurt Ostend' (it is in site 'LON1')"),
        ("rack", None),
    ])


def test_other_statuses_unchanged_by_the_variant(main_run, variant_run, sim_rows):
    changed = {device_id for device_id, status in status_map(variant_run.result).items()
               if main_run.by_id.get(device_id, {}).get("status") != status}
    expected = {sim_rows.specials[name] for name in (
        "disabled_device", "ignored_device", "dup_sysname_a", "dup_sysname_b", "cisco_svl_nomaster",
        "cisco_stack_named")}
    expected |= {row["device_id"] for row in sim_rows.by_id.values() if int(row["disabled"]) or int(row["ignore"])}
    assert changed == expected


# --------------------------------------------------------------------------------------------------------------
# Request counts


def test_netbox_requests_do_not_grow_with_candidates_and_inventory_is_one_call_each(nb_estate, fresh_sim, runner):
    fresh_sim.control.load_estate(seed=SEED, size=600)
    try:
        runs = {}
        for label, args in (("few", full_args(all_devices=False, filters={"location": "SIN1 Jurong East"})),
                            ("many", full_args())):
            fresh_sim.control.reset()
            result = runner.one(args)
            assert result.get("failed") is not True, result.get("msg")
            runs[label] = (result, fresh_sim.control.stats()["by_endpoint"])
    finally:
        fresh_sim.control.load_estate(seed=SEED, size=SIZE)
    few, few_stats = runs["few"]
    many, many_stats = runs["many"]
    assert 40 <= few["summary"]["total"] <= 60
    assert many["summary"]["total"] >= 500
    assert few["api_calls"]["netbox"] == many["api_calls"]["netbox"]
    assert few["api_calls"]["netbox"] <= 12  # 8 reference endpoints + devices + VMs, one page each
    for result, stats in ((few, few_stats), (many, many_stats)):
        total = result["summary"]["total"]
        assert result["api_calls"]["librenms"] == {"list_devices": 1, "inventory_all": total}
        assert stats["list_devices"] == 1 and stats["inventory_all"] == total
        assert sum(stats.values()) == 1 + total


def test_with_redis_the_search_still_lists_librenms_once(nb_estate, services, fresh_sim, redis_runner):
    """background auto under the threshold: the candidates counted for the decision are the ones searched.

    netbox_url ends in /api so the reference-data cache entry is not the one other tests use (the key hashes the
    URL as given); it may still be there from an earlier run of this test.
    """
    args = full_args(all_devices=False, filters={"location": "SIN1 Jurong East"}, background="auto",
                     background_threshold=100000, netbox_url=services["netbox"]["url"] + "/api")
    first = redis_runner.one(args)
    stats = fresh_sim.control.stats()
    assert first.get("failed") is not True, first.get("msg")
    total = first["summary"]["total"]
    assert total > 20
    assert stats["by_endpoint"]["list_devices"] == 1
    assert first["api_calls"]["librenms"] == {"list_devices": 1, "inventory_all": total}
    assert stats["total"] == 1 + total
    fresh_sim.control.reset()
    second = redis_runner.one(args)  # reference data from the cache now: only devices and VMs are read
    assert fresh_sim.control.stats()["by_endpoint"]["list_devices"] == 1
    assert second["api_calls"]["netbox"] == 2
    assert status_map(second) == status_map(first)
    assert {entry["devices"] for entry in second["cached_searches"]} >= {total}


def test_no_inventory_call_without_vc_detection(nb_estate, fresh_sim, sim_rows, runner):
    result = runner.one(full_args(vc_detection=False))
    stats = fresh_sim.control.stats()
    assert result["api_calls"]["librenms"] == {"list_devices": 1}
    assert stats["by_endpoint"]["list_devices"] == 1
    assert stats["by_endpoint"]["inventory_all"] == 0 and stats["by_endpoint"]["inventory"] == 0
    assert stats["total"] == 1
    assert all(d["virtual_chassis"] is None for d in result["devices"])
    # without the inventory the SVL is not known to be a stack, and its line-card hardware is mapped
    assert status_map(result)[sim_rows.specials["cisco_svl_nomaster"]] == "ready"


# --------------------------------------------------------------------------------------------------------------
# Filters mean what they say, also against a server that ignores the newer `type` values

FILTER_CASES = {
    "os_exact_nocase": {"os": "IOS"},
    "hostname_substring": {"hostname": "STACK-SW"},
    "sysname_exact_nocase": {"sysname": "SWITCH"},
    "location_exact_nocase": {"location": "zürich dc1"},
    "location_substring_is_not_enough": {"location": "Zürich"},
    "two_filters_and": {"os": "ios", "location": "LON1 Docklands, London"},
    "type_exact": {"type": "firewall"},
    "hardware_substring": {"hardware": "c9300"},
}
# The filters whose API type an old server does not know (it answers every device), and os for comparison.
OLD_SERVER_CASES = ("sysname_exact_nocase", "type_exact", "hardware_substring", "os_exact_nocase")


def expected_ids(rows: dict, filters: dict) -> set:
    def keep(row):
        for key, wanted in filters.items():
            actual = row.get({"sysname": "sysName"}.get(key, key))
            if key in ("os", "sysname", "location") and (actual or "").lower() != wanted.lower():
                return False
            if key in ("hostname", "hardware") and wanted.lower() not in (actual or "").lower():
                return False
            if key == "type" and actual != wanted:
                return False
        return True

    return {row["device_id"] for row in rows.values()
            if keep(row) and not int(row["disabled"]) and not int(row["ignore"])}


@pytest.fixture(scope="module")
def filter_runs(nb_estate, sim, runner):
    """Each filter case run on a current server and on an old one; no role, so role review shows."""
    cases = [{"filters": filters, "site_map": nbe.SITE_MAP} for filters in FILTER_CASES.values()]
    sim.control.reset()
    current = runner.many(cases)
    current_stats = sim.control.stats()
    sim.control.configure(old_server=True)
    try:
        old = runner.many([cases[list(FILTER_CASES).index(name)] for name in OLD_SERVER_CASES])
    finally:
        sim.control.reset()
    return SimpleNamespace(current=dict(zip(FILTER_CASES, current)), old=dict(zip(OLD_SERVER_CASES, old)),
                           current_stats=current_stats)


@pytest.mark.parametrize("case", sorted(FILTER_CASES))
def test_filter_means_what_it_says(filter_runs, sim_rows, case):
    result = filter_runs.current[case]
    assert result.get("failed") is not True, result.get("msg")
    found = {d["device_id"] for d in result["devices"]}
    assert found == expected_ids(sim_rows.by_id, FILTER_CASES[case])
    assert result["summary"]["total"] == len(found)
    assert result["api_calls"]["librenms"] == {"list_devices": 1}
    if case in filter_runs.old:
        old = filter_runs.old[case]
        assert old.get("failed") is not True, old.get("msg")
        assert old["devices"] == result["devices"]


def test_filter_results_in_detail(filter_runs, sim_rows):
    ios = filter_runs.current["os_exact_nocase"]["devices"]
    assert ios and {d["os"] for d in ios} == {"ios"}  # not iosxe
    assert filter_runs.current["os_exact_nocase"]["filters"] == {"os": "IOS"}
    assert {d["device_id"] for d in filter_runs.current["hostname_substring"]["devices"]} == {1, 2, 3}
    assert {d["device_id"] for d in filter_runs.current["sysname_exact_nocase"]["devices"]} == {15, 16}
    zurich = filter_runs.current["location_exact_nocase"]["devices"]
    assert len(zurich) >= 20 and {d["location"] for d in zurich} == {"Zürich DC1"}
    assert filter_runs.current["location_substring_is_not_enough"]["devices"] == []
    assert filter_runs.current["location_substring_is_not_enough"]["summary"]["total"] == 0
    both = filter_runs.current["two_filters_and"]["devices"]
    assert both and {(d["os"], d["location"]) for d in both} == {("ios", "LON1 Docklands, London")}
    assert sim_rows.specials["cisco_stack_relpos0"] in {d["device_id"] for d in both}
    # no role given: a device that is otherwise fine waits for one
    stack = next(d for d in both if d["device_id"] == sim_rows.specials["cisco_stack_relpos0"])
    check_device(stack, "needs_review", [("review", "no role: set role, add a role_rules entry or set "
                                                    "selections.1.role"), ("role", None)])
    assert filter_runs.current_stats["by_endpoint"]["list_devices"] == len(FILTER_CASES)
    assert filter_runs.current_stats["by_endpoint"]["inventory_all"] == 0


# --------------------------------------------------------------------------------------------------------------
# Bad input: one clear message, no traceback, no secret


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def error_runs(nb_estate, services, sim, runner):
    netbox_url, netbox_token = services["netbox"]["url"], services["netbox"]["token_v2"]
    dead = closed_port()
    explicit = {"librenms_url": sim.url, "librenms_token": sim.token, "netbox_url": netbox_url,
                "netbox_token": netbox_token, "timeout": 5}
    cases = {
        "unknown_filter": dict(explicit, filters={"colour": "red"}),
        "no_filter": dict(explicit),
        "unknown_site": dict(explicit, all_devices=True, site_map={"Lab": "dft-no-such-site"}),
        "bad_regex": dict(explicit, all_devices=True, role_rules=[{"role": "dft-core", "match": {"hostname": "(["}}]),
        "librenms_unreachable": dict(explicit, all_devices=True, librenms_url=f"http://127.0.0.1:{dead}"),
        "netbox_unreachable": dict(explicit, all_devices=True, netbox_url=f"http://127.0.0.1:{dead}"),
        "librenms_bad_token": dict(explicit, all_devices=True, librenms_token="dft-wrong-" + secrets.token_hex(8)),
        "netbox_bad_token": dict(explicit, all_devices=True,
                                 netbox_token=f"nbt_{secrets.token_hex(6)}.{secrets.token_hex(20)}"),  # random: wrong
    }
    sim.control.reset()
    results = runner.many(list(cases.values()))
    return dict(zip(cases, results)), {"netbox_url": netbox_url, "dead": dead, "librenms_url": sim.url}


ERROR_EXPECTATIONS = {
    "unknown_filter": ["filters.colour"],
    "no_filter": ["Give at least one search filter", "or set all_devices: true"],
    "unknown_site": ["site_map['Lab'] names site 'dft-no-such-site', which does not exist in NetBox"],
    "bad_regex": ["role_rules[0] has an invalid regular expression '([' for 'hostname'"],
    "librenms_unreachable": ["GET /api/v0/devices on LibreNMS http://127.0.0.1:{dead}", "cannot connect"],
    "netbox_unreachable": ["NetBox http://127.0.0.1:{dead}", "cannot connect"],
    "librenms_bad_token": ["the API token was rejected (401"],
    "netbox_bad_token": ["NetBox {netbox_url} /api/dcim/sites/: 403 the API token was rejected (Invalid v2 token): "
                         "check netbox_token"],
}


@pytest.mark.parametrize("case", sorted(ERROR_EXPECTATIONS))
def test_bad_input_fails_with_one_clear_message(error_runs, secrets_to_hide, case):
    results, where = error_runs
    result = results[case]
    assert_clean_failure(result, *(text.format(**where) for text in ERROR_EXPECTATIONS[case]))
    assert "devices" not in result
    assert_no_secret(result, secrets_to_hide)


@pytest.mark.parametrize(("switch", "expected"), [
    ("unauthorized", "the API token was rejected (401 Unauthenticated.)"),
    ("forbidden", "permission denied (403 This action is unauthorized.)"),
    ("not_json", "answer is not JSON (HTTP 200"),
    ("no_list_key", "the answer (HTTP 200) has no 'devices' list (keys: count, status)"),
])
def test_librenms_server_faults_fail_cleanly(nb_estate, fresh_sim, run_module, env, secrets_to_hide, switch,
                                             expected):
    fresh_sim.control.configure(**{switch: True})
    result = run_module(MODULE, {"all_devices": True}, env=env)
    assert_clean_failure(result, f"GET /api/v0/devices on LibreNMS {fresh_sim.url}", expected)
    assert_no_secret(result, secrets_to_hide)
    assert fresh_sim.control.stats()["by_endpoint"]["inventory_all"] == 0


@pytest.mark.parametrize("librenms_token_ok", [True, False], ids=["success", "failure"])
def test_no_secret_with_vvv_and_explicit_tokens(nb_estate, services, fresh_sim, run_module, env, secrets_to_hide,
                                                librenms_token_ok):
    """Tokens given as module options, -vvv: neither they, nor the SNMP secrets, reach the output."""
    wrong = "dft-wrong-" + secrets.token_hex(8)
    args = full_args(vc_detection=False, librenms_url=fresh_sim.url,
                     librenms_token=fresh_sim.token if librenms_token_ok else wrong,
                     netbox_url=services["netbox"]["url"], netbox_token=services["netbox"]["token_v2"])
    result = run_module(MODULE, args, "-vvv", env=env)
    assert "ESTABLISH LOCAL CONNECTION" in result["_stdout"]  # -vvv is on
    if librenms_token_ok:
        assert result.get("failed") is not True, result.get("msg")
        assert result["summary"]["total"] > 250
        assert "\"summary\": {" in result["_stdout"]  # the whole result was displayed
    else:
        assert_clean_failure(result, "the API token was rejected (401")
    text = json.dumps(result, ensure_ascii=False)
    for secret in [*secrets_to_hide, wrong]:
        assert secret not in text, f"{secret[:6]}... leaked"


# --------------------------------------------------------------------------------------------------------------
# The lean result: return_devices and result_fields shape what the task returns, nothing else

LEAN_FIELDS = ["device_id", "status", "name", "review", "selection"]
# Keys Ansible or the test runner add, or that differ by design between the runs compared.
NOT_COMPARED = {"devices", "report", "invocation", "_stdout", "_stderr"}


@pytest.fixture(scope="module")
def lean_runs(nb_estate, sim, runner, tmp_path_factory):
    """The full search and its lean forms, one batch (one NetBox, one estate), each writing its CSV report."""
    reports = tmp_path_factory.mktemp("lean-reports")
    cases = {
        "full": full_args(report_path=str(reports / "full.csv")),
        "none": full_args(return_devices="none", report_path=str(reports / "none.csv")),
        "importable": full_args(return_devices="importable", result_fields=LEAN_FIELDS,
                                report_path=str(reports / "importable.csv")),
        "importable_every_key": full_args(return_devices="importable"),
        "all_three_keys": full_args(return_devices="all", result_fields=["existing", "device_id", "status"]),
    }
    sim.control.reset()
    results = dict(zip(cases, runner.many(list(cases.values()))))
    for name, result in results.items():
        assert result.get("failed") is not True, f"{name}: {result.get('msg')}"
    return SimpleNamespace(reports=reports, **results)


def assert_same_but_rows(lean: dict, full: dict) -> None:
    """Every key of the full result but the rows, with the same value (summary, filters, device_ids, ...)."""
    assert set(lean) - NOT_COMPARED == set(full) - NOT_COMPARED
    for key in set(full) - NOT_COMPARED:
        assert lean[key] == full[key], key


def test_lean_none_returns_everything_but_the_rows(lean_runs):
    full, none = lean_runs.full, lean_runs.none
    assert "devices" not in none
    assert_same_but_rows(none, full)
    assert none["summary"] == full["summary"] and none["summary"]["total"] == len(full["devices"]) > 250
    assert none["device_ids"] == [d["device_id"] for d in full["devices"]]  # every device found
    assert none["report"] == {"path": str(lean_runs.reports / "none.csv"), "format": "csv",
                              "rows": full["summary"]["total"]}
    assert none["changed"] is False and none["completed"] is True
    sizes = {name: len(json.dumps({k: v for k, v in result.items() if k not in ("_stdout", "_stderr")}))
             for name, result in (("none", none), ("full", full))}
    assert sizes["none"] * 20 < sizes["full"], sizes


def test_lean_importable_returns_the_listed_keys_of_ready_and_needs_review_rows(lean_runs, sim_rows):
    full, lean = lean_runs.full, lean_runs.importable
    expected = [{key: d[key] for key in LEAN_FIELDS} for d in full["devices"]
                if d["status"] in ("ready", "needs_review")]
    assert lean["devices"] == expected
    assert all(list(row) == LEAN_FIELDS for row in lean["devices"])
    assert {row["status"] for row in lean["devices"]} == {"ready", "needs_review"}
    assert len(lean["devices"]) == full["summary"]["ready"] + full["summary"]["needs_review"]
    by_id = {row["device_id"]: row for row in lean["devices"]}
    assert by_id[sim_rows.specials["cisco_svl_nomaster"]]["review"]
    vm_server = by_id[sim_rows.specials["vm_server"]]  # selections "11" in full_args
    assert vm_server["selection"] == {"as_vm": True, "cluster": nbe.CLUSTER}  # as the search applied it
    assert sim_rows.specials["dup_sysname_a"] not in by_id  # blocked
    assert sim_rows.specials["for_existing_by_id"] not in by_id  # exists
    assert sim_rows.specials["for_conflict_name"] not in by_id  # conflict
    assert_same_but_rows(lean, full)


def test_lean_importable_without_result_fields_returns_whole_rows(lean_runs):
    full = lean_runs.full
    assert lean_runs.importable_every_key["devices"] == [
        d for d in full["devices"] if d["status"] in ("ready", "needs_review")]
    assert_same_but_rows(lean_runs.importable_every_key, full)


def test_lean_result_fields_alone_returns_every_row_with_the_listed_keys(lean_runs, sim_rows):
    full, lean = lean_runs.full, lean_runs.all_three_keys
    assert lean["devices"] == [{"existing": d["existing"], "device_id": d["device_id"], "status": d["status"]}
                               for d in full["devices"]]
    conflict = next(row for row in lean["devices"] if row["device_id"] == sim_rows.specials["for_conflict_serial"])
    assert "already belongs to NetBox device 'dft-cfserial-other'" in conflict["existing"]["conflict"]
    assert_same_but_rows(lean, full)


def test_lean_report_gets_every_row_whatever_the_task_returns(lean_runs):
    full_text = (lean_runs.reports / "full.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(full_text)))
    assert [int(row["librenms_id"]) for row in rows] == lean_runs.full["device_ids"]
    assert Counter(row["status"] for row in rows) == Counter(d["status"] for d in lean_runs.full["devices"])
    for name in ("none", "importable"):
        assert (lean_runs.reports / f"{name}.csv").read_text(encoding="utf-8") == full_text, name


def test_lean_unknown_result_field_fails_in_one_line_before_searching(
        nb_estate, fresh_sim, runner, secrets_to_hide):
    result = runner.one(full_args(return_devices="importable", result_fields=["status", "colour"]))
    assert_clean_failure(result, f"result_fields: unknown key 'colour'; valid keys are: {', '.join(ROW_KEYS)}")
    assert "\n" not in result["msg"]
    assert "devices" not in result and "summary" not in result
    assert fresh_sim.control.stats()["total"] == 0  # LibreNMS was not asked anything
    assert_no_secret(result, secrets_to_hide)


def test_lean_search_with_redis_caches_whole_rows(nb_estate, services, fresh_sim, redis_runner):
    """The task returns no row; the cached rows (what from_job imports) are whole. netbox_url as in the Redis
    test above, so the cache entries are not those other tests read."""
    netbox_url = services["netbox"]["url"] + "/api"
    result = redis_runner.one(full_args(all_devices=False, filters={"location": "SIN1 Jurong East"},
                                        background="auto", background_threshold=100000, netbox_url=netbox_url,
                                        return_devices="none"))
    assert result.get("failed") is not True, result.get("msg")
    assert "devices" not in result
    total = result["summary"]["total"]
    assert total > 20 and len(result["device_ids"]) == total
    assert any(entry["search_key"] == result["search_key"] and entry["devices"] == total
               for entry in result["cached_searches"])
    cache = ResultCache(redis.Redis.from_url(services["redis"]["url"]), "default", netbox_url)
    cached = cache.load_devices(result["search_key"], result["device_ids"])
    assert [row["device_id"] for row in cached] == result["device_ids"]
    assert all(set(row) == set(ROW_KEYS) for row in cached)
