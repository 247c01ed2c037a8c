"""Bad luck and bad input against the real services: imports that could write nothing, tokens without rights,
servers that are not what they seem, and a flaky LibreNMS.

A private simulator (seed 42, a small estate) and the reference estate of netbox_estate.py; no test here leaves
an imported object behind (most of them must write nothing at all, which the NetBox change log proves).
"""

from __future__ import annotations

import http.server
import json
import re
import secrets
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rq.job import Job

from harness import netbox_estate as nbe
from harness.librenms_sim import SECRET_MARKER
from harness.redis_service import start_redis, stop_redis
from harness.settings import load_settings
from tests.integration import import_helpers as ih
from tests.integration.simulators import private_simulator
from tests.integration.workers import Workers

pytestmark = pytest.mark.integration

IMPORT = "netbox_librenms.sync.librenms_device_import"
FILTER = "netbox_librenms.sync.librenms_device_filter"
STATUS = "netbox_librenms.sync.librenms_job_status"
SEED, SIZE = 42, 60
# What a search and an import read: the view-only user may see all of it, and change nothing.
VIEWED_TYPES = ["dcim.site", "dcim.location", "dcim.manufacturer", "dcim.devicetype", "dcim.platform",
                "dcim.devicerole", "dcim.rack", "dcim.device", "dcim.virtualchassis", "virtualization.cluster",
                "virtualization.virtualmachine", "extras.customfield"]


def import_args(**overrides) -> dict:
    args = {"all_devices": True, "site_map": nbe.SITE_MAP, "device_type_map": nbe.DEVICE_TYPE_MAP,
            "role": nbe.DEFAULT_ROLE, "role_rules": nbe.ROLE_RULES}
    args.update(overrides)
    return args


@pytest.fixture(scope="module")
def sim():
    with private_simulator("hrd", SEED, SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def world(netbox):
    """The reference estate on a NetBox without imported objects; whatever a test imports is removed at the end."""
    with ih.reference_estate(netbox, SEED, SIZE) as estate:
        yield estate


@pytest.fixture(scope="module")
def env(ansible_env, sim):
    return ih.without_redis(ansible_env, sim)


@pytest.fixture(scope="module")
def hidden(services, sim):
    return [SECRET_MARKER, sim.token, services["netbox"]["token_v2"], services["netbox"]["token_v1"]]


@pytest.fixture(scope="module")
def runner(env, tmp_path_factory, hidden):
    workdir = tmp_path_factory.mktemp("hardening")

    def many(module, cases, run_env=None):
        results = ih.run_loop(run_env or env, workdir, module, cases)
        for result in results:
            text = json.dumps(result)
            assert not [secret[:6] for secret in hidden if secret in text]
        return results

    return SimpleNamespace(many=many, one=lambda module, args, run_env=None: many(module, [args], run_env)[0])


@pytest.fixture(scope="module")
def view_only_token(netbox):
    """A v2 token (write enabled) of a user who may view everything the import reads and change nothing."""
    name = "hrd-view-only-" + secrets.token_hex(3)
    user = netbox.users.users.create(username=name, password=secrets.token_urlsafe(16) + "aA1!")
    permission = netbox.users.permissions.create(name=name, object_types=VIEWED_TYPES, actions=["view"],
                                                 users=[user.id])
    token = netbox.users.tokens.create(user=user.id, write_enabled=True)
    try:
        yield f"nbt_{token.key}.{token.token}"
    finally:
        permission.delete()
        user.delete()  # its tokens go with it


def assert_clean_failure(result: dict, *expected: str) -> None:
    assert result.get("failed") is True, result
    msg = result.get("msg")
    assert isinstance(msg, str) and 0 < len(msg) < 2000 and "\n" not in msg, msg
    for text in expected:
        assert text in msg, msg
    assert result.get("exception") in (None, "(traceback unavailable)"), result["exception"]
    assert "Traceback" not in json.dumps(result), msg


# -- 1: an import that could write nothing fails, and writes nothing ------------------------------------------------

def test_a_view_only_token_fails_before_any_write_naming_the_missing_permissions(
        world, netbox, runner, env, services, view_only_token):
    before = ih.change_count(netbox)
    for args in (import_args(), import_args(selections={"11": {"as_vm": True, "cluster": nbe.CLUSTER}})):
        result = runner.one(IMPORT, args, dict(env, NETBOX_TOKEN=view_only_token))
        assert_clean_failure(result, f"NetBox {services['netbox']['url']}: the token may not make this import's writes",
                             "nothing was written", "dcim.add_device")
        assert view_only_token not in json.dumps(result)
    assert "virtualization.add_virtualmachine" in result["msg"]  # the VM the second run would create
    assert result["missing_permissions"]
    assert ih.change_count(netbox) == before


def test_a_rejected_token_is_told_from_a_missing_permission(world, runner, env, view_only_token):
    wrong = f"nbt_{secrets.token_hex(6)}.{secrets.token_hex(20)}"
    rejected = runner.one(IMPORT, import_args(), dict(env, NETBOX_TOKEN=wrong))
    assert_clean_failure(rejected, "403 the API token was rejected (Invalid v2 token): check netbox_token")
    assert wrong not in json.dumps(rejected)


def test_only_unknown_devices_fail_and_write_nothing(world, netbox, runner):
    before = ih.change_count(netbox)
    result = runner.one(IMPORT, import_args(all_devices=False, devices=[99991, 99992, "nosuch.example.net"]))
    assert_clean_failure(result, "nothing imported: 3 device(s) failed: 99991: LibreNMS has no such device")
    assert result["failed_count"] == 3
    assert ih.change_count(netbox) == before


def test_a_big_selections_file_of_unknown_ids_fails_in_one_line(world, netbox, runner, tmp_path):
    path = Path(tmp_path, "review.csv")
    path.write_text("librenms_id,import\n" + "".join(f"{100000 + number},yes\n" for number in range(50000)))
    before = ih.change_count(netbox)
    result = runner.one(IMPORT, import_args(all_devices=False, selections_file=str(path)))
    assert_clean_failure(result, "nothing imported: 50000 device(s) failed", "; and 49995 more")
    assert len(result["failures"]) == 20 and result["failed_count"] == 50000
    assert ih.change_count(netbox) == before


# -- 4: selections naming devices the search never saw; a long list of bad options -----------------------------------

def test_selections_for_devices_the_search_never_saw_are_named_in_a_warning(world, runner):
    unseen = {str(90000 + number): {"role": nbe.DEFAULT_ROLE} for number in range(25)}
    result = runner.one(FILTER, import_args(selections=dict(unseen, **{"nosuch.example.net": {}}),
                                            return_devices="none"))
    assert result.get("failed") is not True, result.get("msg")
    warning = next(text for text in result["warnings"] if "selections name" in text)
    assert "selections name 26 device(s) this run did not find" in warning
    assert "90000, 90001" in warning and warning.endswith("and 6 more")


def test_a_thousand_bad_selections_give_twenty_problems_and_a_count(world, runner):
    selections = {str(number): {"as_vm": "perhaps"} for number in range(1000)}
    for module in (FILTER, IMPORT):
        result = runner.one(module, import_args(selections=selections))
        assert_clean_failure(result, "Invalid options: selections.0.as_vm must be true or false", "; and 980 more")


# -- 5: a netbox_url that answers an HTML page ------------------------------------------------------------------------

class _SignInPage(http.server.BaseHTTPRequestHandler):
    """A portal or proxy in front of NetBox: every request gets a 200 HTML page."""

    def _page(self):
        body = b"<html><body><form>Sign in</form></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_OPTIONS = _page

    def log_message(self, format, *args):
        pass


@pytest.fixture()
def html_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SignInPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_html_netbox_url_fails_the_import_in_one_line(world, runner, html_server):
    url = html_server.replace("http://", "http://hrd-user:hrd-pass@")
    result = runner.one(IMPORT, import_args(all_devices=False, devices=[1, 2], netbox_url=url))
    assert_clean_failure(result, f"NetBox http://***@{html_server[len('http://'):]}", "the answer is not NetBox's JSON")
    assert "hrd-pass" not in result["msg"]


# -- 6: LibreNMS failing 30 % of the requests ------------------------------------------------------------------------

def test_a_flaky_librenms_degrades_one_device_not_the_search(world, sim, runner):
    """One inventory call at a time, so the simulator's deterministic error sequence always hits the same calls."""
    sim.control.reset()
    sim.control.configure(error_rate=0.3)
    try:
        result = runner.one(FILTER, import_args(vc_detection=True, inventory_concurrency=1))
    finally:
        sim.control.reset()
    assert result.get("failed") is not True, result.get("msg")
    degraded = [row for row in result["devices"] if any("inventory not read" in text for text in row["review"])]
    assert degraded, "no inventory call failed after its retries: raise SIZE or error_rate"
    for row in degraded:
        reason = next(text for text in row["review"] if "inventory not read" in text)
        assert f"GET /api/v0/inventory/{row['device_id']}/all on LibreNMS {sim.url}" in reason, reason
        assert row["status"] != "ready"
    assert result["summary"]["total"] == len(result["devices"]) > len(degraded)
    assert result["summary"]["ready"] > 0  # the others are judged as usual


# -- 7: Redis stopping while librenms_job_status waits ------------------------------------------------------------

def test_redis_stopping_under_job_status_is_one_line_and_the_worker_exits(
        world, sim, runner, env, services, netbox, tmp_path):
    settings, url = load_settings(), services["redis"]["url"]
    with_redis = dict(env, NETBOX_LIBRENMS_REDIS_URL=url)
    workers = Workers(url, {"LIBRENMS_URL": sim.url, "LIBRENMS_TOKEN": sim.token,
                            "NETBOX_URL": services["netbox"]["url"], "NETBOX_TOKEN": services["netbox"]["token_v2"]},
                      tmp_path)
    worker = workers.start()
    sim.control.configure(latency_ms=2000)  # about 30 s of inventory reads: the job is still running below
    try:
        queued = runner.one(IMPORT, import_args(background="always"), with_redis)
        assert queued.get("failed") is not True, queued.get("msg")
        job = {"job_id": queued["job"]["id"]}
        waiting = ih.BackgroundRun(with_redis, tmp_path, STATUS, dict(job, wait=True, wait_timeout=300))
        time.sleep(10)  # ansible-playbook has started and the module polls the job
        stop_redis(settings)
        waited = waiting.result(timeout=180)
        asked = runner.one(STATUS, job, with_redis)
        worker.proc.wait(timeout=120)  # rq worker exits when its Redis goes away; the worker role restarts it
    finally:
        start_redis(settings)
        sim.control.reset()
        workers.stop_all()
        ih.wipe_imports(netbox)
    # the URL comes from the environment into a no_log option: Ansible masks it, the words stay
    for result in (waited, asked):
        assert_clean_failure(result, "Redis unreachable at ", "ConnectionError")
    assert waiting.elapsed < 150
    assert worker.proc.returncode is not None


# -- 9: the import role's import_wait_timeout running out ---------------------------------------------------------

ROLE_PLAY = """
- name: The import role with a background import that outlives its wait
  hosts: localhost
  gather_facts: false
  roles:
    - role: netbox_librenms.sync.import
      vars:
        import_all_devices: true
        import_site_map: {site_map}
        import_device_type_map: {device_type_map}
        import_role: {role}
        import_role_rules: {role_rules}
        import_vc_detection: false
        import_background: always
        import_batch_size: 1
        import_wait_timeout: 3
"""


def test_the_import_role_stops_the_job_that_outlives_its_wait(world, sim, env, services, netbox, tmp_path):
    url = services["redis"]["url"]
    workers = Workers(url, {"LIBRENMS_URL": sim.url, "LIBRENMS_TOKEN": sim.token,
                            "NETBOX_URL": services["netbox"]["url"], "NETBOX_TOKEN": services["netbox"]["token_v2"]},
                      tmp_path)
    play = tmp_path / "play.yml"
    play.write_text(ROLE_PLAY.format(site_map=json.dumps(nbe.SITE_MAP), device_type_map=json.dumps(nbe.DEVICE_TYPE_MAP),
                                     role=json.dumps(nbe.DEFAULT_ROLE), role_rules=json.dumps(nbe.ROLE_RULES)))
    workers.start()
    sim.control.configure(latency_ms=1500)  # the job's inventory reads alone outlast the 3 s wait
    try:
        completed = subprocess.run([ih.ANSIBLE_PLAYBOOK, str(play)], env=dict(env, NETBOX_LIBRENMS_REDIS_URL=url),
                                   capture_output=True, text=True, timeout=600, check=False)
        settled = ih.change_count(netbox)
        time.sleep(5)
        assert ih.change_count(netbox) == settled  # stopped: nothing is written after the role failed
    finally:
        sim.control.reset()
        workers.stop_all()
        ih.wipe_imports(netbox)
    assert completed.returncode != 0, completed.stdout
    told = re.search(r"import job (\S+) did not end within 3 s \(import_wait_timeout\), so the role stopped it "
                     r"\(stopped\)", completed.stdout)
    assert told, completed.stdout[-3000:]
    assert "Traceback" not in completed.stdout + completed.stderr
    assert Job.fetch(told.group(1), connection=workers.redis).get_status() == "stopped"
