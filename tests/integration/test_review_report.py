"""The review report round trip against real NetBox and the LibreNMS simulator, through real ansible-playbook runs.

librenms_device_filter writes the report (CSV, and Markdown and HTML in check mode); the test edits the CSV as a
person would (a role, a rack, one device turned into a VM with a cluster, a needs_review row fixed and approved,
a duplicate name fixed, a ready row refused); librenms_device_import imports from it with selections_file, and
NetBox then holds exactly what the edit says. The HTML report is rendered by Debian's headless Chromium.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.html import render_html
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import COLUMNS

from harness import netbox_estate as nbe
from harness.errors import HarnessError
from harness.librenms_sim import SECRET_MARKER
from harness.system_packages import ensure_debian_package
from tests.integration import import_helpers as ih
from tests.integration.simulators import private_simulator

pytestmark = pytest.mark.integration

FILTER = "netbox_librenms.sync.librenms_device_filter"
IMPORT = "netbox_librenms.sync.librenms_device_import"
SEED, SIZE = 42, 40  # the specials and a few fillers; LON1 holds 15 of them
LOCATION = "LON1 Docklands, London"
SECOND_RACK = "rrt-rack-a2"  # in LON1, carries the estate's tag so remove_estate deletes it

# The LibreNMS devices the edit touches (ids of the simulator's specials and fillers, seed 42).
CORE = 17  # ready, role dft-core by rule, rack dft-rack-a1 by selection: role and rack changed
STACK = 1  # ready: refused with import=no
NO_ROLE = 10  # needs_review, only because no rule gives it a role: role set, approved
SERVER = 39  # blocked as a device (no device type for its hardware): imported as a VM into the cluster
DUP_A, DUP_B = 15, 16  # blocked by a shared name: DUP_A renamed and approved, DUP_B left alone

SEARCH_PLAYBOOK = """
- name: Search with a review report
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Search and write the CSV
      netbox_librenms.sync.librenms_device_filter: "{{ search_args | combine({'report_path': csv_path}) }}"
      register: csv_run
    - name: Search and write the Markdown and HTML pages, in check mode
      netbox_librenms.sync.librenms_device_filter: "{{ search_args | combine({'report_path': item}) }}"
      loop: "{{ [md_path, html_path] }}"
      check_mode: true
      register: page_runs
    - name: Save the results for the test
      ansible.builtin.copy:
        content: "{{ {'csv': csv_run, 'pages': page_runs.results} | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""

IMPORT_PLAYBOOK = """
- name: Import from the edited review report, twice
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Import the approved rows
      netbox_librenms.sync.librenms_device_import: "{{ import_args }}"
      register: first
    - name: Import them again
      netbox_librenms.sync.librenms_device_import: "{{ import_args }}"
      register: second
    - name: Save the results for the test
      ansible.builtin.copy:
        content: "{{ {'first': first, 'second': second} | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""


def play(env: dict, workdir: Path, playbook: str, variables: dict) -> dict:
    run_dir = Path(tempfile.mkdtemp(dir=workdir))
    (run_dir / "play.yml").write_text(playbook)
    result_path = run_dir / "result.json"
    (run_dir / "vars.json").write_text(json.dumps(dict(variables, result_path=str(result_path))))
    completed = subprocess.run(ih.playbook_command(run_dir / "play.yml", run_dir / "vars.json"), env=env,
                               capture_output=True, text=True, timeout=600, check=False)
    if not result_path.exists():
        raise AssertionError(f"ansible-playbook failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(result_path.read_text())


def search_args() -> dict:
    """No default role, so devices no rule matches need review; CORE gets the first rack."""
    return {"filters": {"location": LOCATION}, "vc_detection": True, "site_map": nbe.SITE_MAP,
            "device_type_map": nbe.DEVICE_TYPE_MAP, "role_rules": nbe.ROLE_RULES,
            "selections": {str(CORE): {"rack": nbe.RACK}}}


def import_args(path: Path) -> dict:
    args = search_args()
    for key in ("filters", "vc_detection", "selections"):
        args.pop(key)
    return dict(args, selections_file=str(path))


def read_csv(path: Path) -> list:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)


def assert_clean_failure(result: dict, *expected: str) -> None:
    assert result.get("failed") is True, result
    for text in expected:
        assert text in result["msg"], result["msg"]
    assert result.get("exception", "(traceback unavailable)") == "(traceback unavailable)", result["exception"]
    assert "module_stderr" not in result and "Traceback" not in json.dumps(result), result


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def sim():
    with private_simulator("rrt", SEED, SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def world(netbox):
    """Clean NetBox with the reference estate and a second rack in LON1; everything is removed at the end."""
    with ih.reference_estate(netbox, SEED, SIZE) as estate:
        netbox.dcim.racks.create(name=SECOND_RACK, site=estate["sites"]["LON1"], tags=[estate["tag"]])
        yield estate


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    """The private simulator, and no Redis (NetBox reference data is read afresh, never from a cache)."""
    return ih.without_redis(ansible_env, sim)


@pytest.fixture(scope="module")
def hidden(services, sim):
    return [SECRET_MARKER, sim.token, services["netbox"]["token_v2"], services["netbox"]["token_v1"],
            services["librenms"]["token"]]


@pytest.fixture(scope="module")
def reports(world, env, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("review-report")
    paths = {"csv_path": workdir / "review.csv", "md_path": workdir / "review.md",
             "html_path": workdir / "review.html"}
    results = play(env, workdir, SEARCH_PLAYBOOK,
                   {"search_args": search_args(), **{key: str(path) for key, path in paths.items()}})
    return SimpleNamespace(workdir=workdir, results=results, rows=read_csv(paths["csv_path"]), **paths)


@pytest.fixture(scope="module")
def edited(reports):
    """The CSV as the reviewer leaves it."""
    rows = {int(row["librenms_id"]): row for row in reports.rows}
    rows[CORE].update(role="dft-leaf", rack=SECOND_RACK)
    rows[STACK].update({"import": "no"})
    rows[NO_ROLE].update({"role": "dft-leaf", "import": "yes"})
    rows[SERVER].update({"import_as": "vm", "cluster": nbe.CLUSTER, "import": "yes"})
    rows[DUP_A].update({"name": "lon1-dup-a", "import": "yes"})
    path = reports.workdir / "review-edited.csv"
    write_csv(path, list(rows.values()))
    return SimpleNamespace(path=path, before=rows)


@pytest.fixture(scope="module")
def imported(edited, env, reports, netbox):
    before = ih.change_count(netbox)
    results = play(env, reports.workdir, IMPORT_PLAYBOOK, {"import_args": import_args(edited.path)})
    return SimpleNamespace(**results, changes=ih.change_count(netbox) - before)


# --------------------------------------------------------------------------------------------------------------
# The search and its reports


def test_the_csv_report_has_one_row_per_device_with_the_expected_verdicts(reports):
    run = reports.results["csv"]
    assert run.get("failed") is not True, run.get("msg")
    assert run["changed"] is False
    assert run["report"] == {"path": str(reports.csv_path), "format": "csv", "rows": run["summary"]["total"]}
    assert list(reports.rows[0]) == list(COLUMNS)
    by_id = {int(row["librenms_id"]): row for row in reports.rows}
    assert sorted(by_id) == sorted(device["device_id"] for device in run["devices"])
    assert by_id[CORE]["status"] == "ready" and by_id[CORE]["role"] == "dft-core"
    assert by_id[CORE]["rack"] == nbe.RACK and by_id[CORE]["import"] == "yes"
    assert by_id[STACK]["status"] == "ready" and by_id[STACK]["import"] == "yes"
    assert by_id[NO_ROLE]["status"] == "needs_review" and by_id[NO_ROLE]["import"] == ""
    assert by_id[NO_ROLE]["issues"] == "no role: set role, add a role_rules entry or set selections.10.role"
    assert by_id[SERVER]["status"] == "blocked" and "Dell PowerEdge R640" in by_id[SERVER]["issues"]
    assert by_id[DUP_A]["status"] == "blocked" and by_id[DUP_A]["name"] == "switch"
    assert {row["status"] for row in reports.rows} == {"ready", "needs_review", "blocked", "exists", "conflict"}


def test_markdown_and_html_reports_are_written_in_check_mode(reports):
    for run, path, report_format in zip(reports.results["pages"], (reports.md_path, reports.html_path),
                                        ("markdown", "html")):
        assert run.get("failed") is not True, run.get("msg")
        assert run["changed"] is False
        assert run["report"]["format"] == report_format and run["report"]["rows"] == len(reports.rows)
        assert path.exists()
    markdown = reports.md_path.read_text(encoding="utf-8")
    total = len(reports.rows)
    assert f"total {total}" in markdown and markdown.count("\n| ") == total + 1


def test_no_report_and_no_result_holds_a_secret(reports, hidden):
    texts = [path.read_text(encoding="utf-8") for path in (reports.csv_path, reports.md_path, reports.html_path)]
    texts.append(json.dumps(reports.results))
    for text in texts:
        for secret in hidden:
            assert secret not in text, f"{secret[:6]}... leaked"


# --------------------------------------------------------------------------------------------------------------
# The round trip


def test_the_import_creates_exactly_the_edited_rows(imported, world, netbox):
    first = imported.first
    assert first.get("failed") is not True, first.get("msg")
    assert first["changed"] is True
    assert first["selections_file"]["approved"] == 4
    assert sorted(entry["device_id"] for entry in first["created"]) == sorted([CORE, NO_ROLE, SERVER, DUP_A])
    devices = {device["name"]: device for device in ih.imported_devices(netbox)}
    assert set(devices) == {"core1.lon1.example.net", "lon1-leaf-noinv10", "lon1-dup-a"}
    roles = {name: device["role"]["name"] for name, device in devices.items()}
    assert roles == {"core1.lon1.example.net": "dft-leaf", "lon1-leaf-noinv10": "dft-leaf",
                     "lon1-dup-a": "dft-access"}
    assert devices["core1.lon1.example.net"]["rack"]["name"] == SECOND_RACK
    assert devices["lon1-leaf-noinv10"]["rack"] is None and devices["lon1-dup-a"]["rack"] is None
    assert {device["site"]["name"] for device in devices.values()} == {"LON1"}
    vms = [vm for vm in ih.all_vms(netbox) if ih.IMPORT_COMMENT in (vm.get("comments") or "")]
    assert [(vm["name"], vm["cluster"]["name"], vm["role"]["name"]) for vm in vms] == [
        ("lon1-srv0039", nbe.CLUSTER, "dft-server")]
    assert ih.librenms_id_of(vms[0]) == SERVER
    assert not [vc for vc in ih.all_virtual_chassis(netbox) if (vc.get("domain") or "").startswith("librenms-")]
    skipped = {entry["device_id"] for entry in first["skipped_devices"]}
    assert STACK not in skipped and DUP_B not in skipped  # not asked for at all


def test_the_rerun_changes_nothing(imported, netbox):
    second = imported.second
    assert second.get("failed") is not True, second.get("msg")
    assert second["changed"] is False and second["created"] == [] and second["updated"] == []
    assert {entry["status"] for entry in second["skipped_devices"]} == {"exists"}
    assert len(second["skipped_devices"]) == 4


# --------------------------------------------------------------------------------------------------------------
# Bad files


def test_bad_rows_fail_once_naming_file_line_and_column(edited, env, reports, hidden):
    rows = [dict(row) for row in edited.before.values()]
    rows[1].update(import_as="box")
    rows[2].update(librenms_id="abc")
    rows[3].update(librenms_id=rows[0]["librenms_id"])
    bad_cells = reports.workdir / "bad-cells.csv"
    write_csv(bad_cells, rows)
    unknown_role = reports.workdir / "unknown-role.csv"
    write_csv(unknown_role, [dict(edited.before[CORE], role="rrt-no-such-role")])
    unknown_column = reports.workdir / "unknown-column.csv"
    unknown_column.write_text("librenms_id,colour\n17,blue\n", encoding="utf-8")
    results = ih.run_loop(env, reports.workdir, IMPORT, [
        import_args(bad_cells), import_args(unknown_role), import_args(unknown_column),
        import_args(reports.workdir / "missing.csv"),
    ])
    for result in results:
        for secret in hidden:
            assert secret not in json.dumps(result)
    bad, role, column, missing = results
    first_id = rows[0]["librenms_id"]
    assert_clean_failure(bad, f"3 problem(s) in {bad_cells}: ", f"{bad_cells} line 3, column import_as: 'box' is not",
                         f"{bad_cells} line 4, column librenms_id: 'abc' is not a LibreNMS device id",
                         f"{bad_cells} line 5, column librenms_id: device {first_id} is already on line 2")
    assert_clean_failure(role, f"{unknown_role} line 2, column role: names role 'rrt-no-such-role', which does not "
                               "exist in NetBox")
    assert_clean_failure(column, f"{unknown_column} line 1, column colour: unknown column")
    assert_clean_failure(missing, "missing.csv does not exist")


# --------------------------------------------------------------------------------------------------------------
# The HTML page in a real browser


def chromium_dom(path: Path, profile: Path) -> str:
    try:
        ensure_debian_package("chromium", "chromium")
    except HarnessError as exc:
        pytest.fail(f"the HTML render check needs Debian's chromium: {exc}")
    completed = subprocess.run(
        [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_the_html_report_renders_in_headless_chromium(reports, tmp_path):
    dom = chromium_dom(reports.html_path, tmp_path / "profile")
    summary = dom[dom.index('id="summary"'):dom.index('id="devices"')]
    counts = {status: sum(1 for row in reports.rows if row["status"] == status)
              for status in ("ready", "needs_review", "blocked", "exists", "conflict")}
    for status, count in counts.items():
        assert f'<li class="{status}"><strong>{count}</strong>{status}</li>' in summary, summary
    assert f'<li class="total"><strong>{len(reports.rows)}</strong>total</li>' in summary
    assert dom.count("<tr class=") == len(reports.rows)
    for row in reports.rows:
        assert f"<td>{row['hostname']}</td>" in dom


def test_a_hostile_hostname_stays_text_in_the_browser(tmp_path):
    row = dict.fromkeys(COLUMNS, "")
    row.update(librenms_id="1", status="ready", hostname='<script>document.title="pwned"</script><img src=x>')
    page = tmp_path / "hostile.html"
    page.write_text(render_html([row], "Review", "meta"), encoding="utf-8")
    dom = chromium_dom(page, tmp_path / "profile")
    assert "<script" not in dom and "<img" not in dom and "pwned</title>" not in dom
    assert "&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;&lt;img src=x&gt;" in dom
