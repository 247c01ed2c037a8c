"""playbooks/import.yml through ansible-runner (the engine AWX runs), launched the way an AWX job template is.

The credentials reach the job only as environment variables, rendered from the custom credential types in
extensions/awx/credential_types the way AWX renders injectors; the extra vars are the job template's
(extensions/awx/job_template.yml) with survey answers (extensions/awx/survey_spec.json). As AWX does, the launch
writes no env/ files (``suppress_env_files``) and keeps only a safe copy of the environment: ansible-runner always
dumps the job's whole environment into ``artifacts/<ident>/command``, so the status handler rewrites that file
with every secret input hidden as soon as the job runs (AWX's ``safe_env``). Then no token may appear in any job
event, in stdout, or in any file under the private data directory.

NetBox holds the reference estate of netbox_estate.py; a private LibreNMS simulator (seed 42, 60 devices) serves
the devices; the survey narrows the search to one location. Redis is a database of its own, flushed before and
after, so that no cache of another test module's reference data is read.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import ansible_runner
import pytest
import redis
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from harness import netbox_estate as nbe
from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.estate import build_estate as build_sim_estate
from harness.redis_service import redis_url
from harness.settings import REPO_ROOT, load_settings
from tests.integration import import_helpers as ih
from tests.integration.simulators import private_simulator

pytestmark = [
    pytest.mark.integration,
    # ansible-runner starts ansible-playbook through pexpect's forkpty while the simulator's server thread runs;
    # the child execs at once, so the deadlock Python warns about cannot happen there.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of forkpty:DeprecationWarning"),
]

AWX = REPO_ROOT / "extensions" / "awx"
SEED, SIZE = 42, 60
LOCATION = "LON1 Docklands, London"
REDIS_DB = 5  # NetBox uses 0 and 1, the other tests 2
HIDDEN = "**********"  # what AWX shows instead of a secret input


# --------------------------------------------------------------------------------------------------------------
# What AWX does at launch, from the definitions users paste into AWX


def credential_env(type_file: str, inputs: dict) -> dict:
    """The environment a credential of this type injects (AWX renders the env injectors with its inputs)."""
    definition = yaml.safe_load((AWX / "credential_types" / type_file).read_text())
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**inputs)
            for name, template in definition["injectors"]["env"].items()}


def job_extravars(answers: dict) -> dict:
    """The job template's extra vars with the estate's maps, plus the survey's defaults and these answers."""
    template = yaml.safe_load((AWX / "job_template.yml").read_text())["extra_vars"]
    survey = json.loads((AWX / "survey_spec.json").read_text())
    extravars = {name: value for name, value in template.items() if name in ("import_filters", "import_check_only")}
    extravars.update(import_site_map=nbe.SITE_MAP, import_device_type_map=nbe.DEVICE_TYPE_MAP,
                     import_role=nbe.DEFAULT_ROLE, import_role_rules=nbe.ROLE_RULES)
    extravars.update({question["variable"]: question["default"] for question in survey["spec"]})
    extravars.update(answers)
    return extravars


def launch(private_data_dir: Path, envvars: dict, extravars: dict, hidden: list):
    """One job: a fresh private data dir, an inventory of localhost, the playbook from the project checkout."""
    (private_data_dir / "inventory").mkdir(parents=True)
    (private_data_dir / "inventory" / "hosts").write_text("localhost ansible_connection=local\n")

    def keep_safe_env(status: dict, runner_config) -> None:
        if status["status"] != "running":  # the command file is written between "starting" and "running"
            return
        command = Path(runner_config.artifact_dir) / "command"
        recorded = json.loads(command.read_text())
        recorded["env"] = {name: HIDDEN if value in hidden else value for name, value in recorded["env"].items()}
        command.write_text(json.dumps(recorded))

    return ansible_runner.run(
        private_data_dir=str(private_data_dir), project_dir=str(REPO_ROOT), playbook="playbooks/import.yml",
        envvars=envvars, extravars=extravars, suppress_env_files=True, quiet=True, ident="job",
        status_handler=keep_safe_env,
    )


def module_results(runner, module: str) -> list:
    return [event["event_data"]["res"] for event in runner.events
            if event.get("event") == "runner_on_ok"
            and str(event.get("event_data", {}).get("task_action", "")).endswith(module)]


def leaks(runner, private_data_dir: Path, hidden: dict) -> list:
    """Where a secret shows up: job events, stdout, every file under the private data dir."""
    found = []
    texts = [(f"event {event.get('counter')}", json.dumps(event)) for event in runner.events]
    texts.append(("stdout", runner.stdout.read()))
    texts += [(str(path.relative_to(private_data_dir)), path.read_text(errors="replace"))
              for path in sorted(private_data_dir.rglob("*")) if path.is_file()]
    for where, text in texts:
        found += [f"{what} in {where}" for what, secret in hidden.items() if secret in text]
    return found


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def sim():
    with private_simulator("awx", SEED, SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def location_ids():
    estate = build_sim_estate(seed=SEED, size=SIZE)
    return {row["device_id"] for row in estate.devices if row["location"] == LOCATION}


@pytest.fixture(scope="module")
def world(netbox, location_ids):
    """The reference estate in NetBox; what the jobs import and the estate itself are deleted at the end."""
    rows = {row["device_id"]: row for row in build_sim_estate(seed=SEED, size=SIZE).devices}
    ih.wipe_imports(netbox, location_ids)
    nbe.build_estate(netbox, serials={i: rows[i]["serial"] for i in range(24, 32)},
                     ips={i: rows[i]["ip"] for i in range(24, 32)})
    url = redis_url(load_settings(), REDIS_DB)
    redis.Redis.from_url(url).flushdb()
    try:
        yield SimpleNamespace(redis_url=url)
    finally:
        ih.wipe_imports(netbox, location_ids)
        nbe.remove_estate(netbox)
        redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="module")
def job(services, sim, world, tmp_path_factory):
    """Credentials as AWX injects them, the rest of the environment AWX's execution environment would have."""
    librenms = {"librenms_url": sim.url, "librenms_token": sim.token}
    netbox = {"netbox_url": services["netbox"]["url"], "netbox_token": services["netbox"]["token_v2"],
              "redis_url": world.redis_url}
    envvars = {**credential_env("librenms.yml", librenms), **credential_env("netbox.yml", netbox)}
    venv_bin = REPO_ROOT / ".venv" / "bin"
    envvars.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=str(venv_bin / "python"),
        ANSIBLE_NOCOLOR="1",
        PATH=f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
    )
    hidden = {"LibreNMS token": sim.token, "NetBox v2 token": services["netbox"]["token_v2"],
              "NetBox v1 token": services["netbox"]["token_v1"],
              "harness LibreNMS token": services["librenms"]["token"], "SNMP secret": SECRET_MARKER}
    secret_inputs = [sim.token, services["netbox"]["token_v2"], world.redis_url]
    return SimpleNamespace(envvars=envvars, hidden=hidden, secret_inputs=secret_inputs,
                           workdir=tmp_path_factory.mktemp("awx-runner"))


# --------------------------------------------------------------------------------------------------------------
# The job, run twice as a schedule would


def test_survey_check_only_writes_nothing(job, netbox):
    """The survey's "Check only" answer reaches the import as check mode: a prediction, no NetBox write.

    It runs first, while nothing of the location is imported (the world fixture starts from there).
    """
    changes_before = ih.change_count(netbox)
    run_dir = job.workdir / "check"
    run = launch(run_dir, job.envvars, job_extravars({"survey_location": LOCATION, "survey_check_only": "yes"}),
                 job.secret_inputs)
    assert (run.status, run.rc) == ("successful", 0), run.stdout.read()[-3000:]
    imported = module_results(run, "librenms_device_import")[0]
    assert imported["summary"]["success_count"] >= 3
    assert ih.change_count(netbox) == changes_before
    assert leaks(run, run_dir, job.hidden) == []


def test_job_template_imports_one_location_without_leaking_a_token(job, netbox, location_ids):
    extravars = job_extravars({"survey_location": LOCATION})
    assert not {"librenms_url", "librenms_token", "netbox_url", "netbox_token"} & set(extravars)
    first_dir = job.workdir / "first"
    first = launch(first_dir, job.envvars, extravars, job.secret_inputs)
    stdout = first.stdout.read()
    assert (first.status, first.rc) == ("successful", 0), stdout[-3000:]

    searched = module_results(first, "librenms_device_filter")[0]
    assert {device["device_id"] for device in searched["devices"]} <= location_ids
    ready = {device["device_id"] for device in searched["devices"] if device["status"] == "ready"}
    assert len(ready) >= 3, searched["summary"]
    imported = module_results(first, "librenms_device_import")[0]
    assert imported["summary"]["failed_count"] == 0, imported.get("errors")
    assert first.stats["changed"].get("localhost", 0) >= 1

    in_netbox = ih.devices_by_librenms_id(netbox)
    created = {device_id for device_id in ready
               if any(ih.IMPORT_COMMENT in (d.get("comments") or "") for d in in_netbox.get(device_id, []))}
    assert created == ready
    assert {d["site"]["slug"] for device_id in ready for d in in_netbox[device_id]} == {"lon1"}

    assert leaks(first, first_dir, job.hidden) == []
    assert not (first_dir / "env").exists()  # suppress_env_files: no envvars or extravars file
    recorded = json.loads((first_dir / "artifacts" / "job" / "command").read_text())["env"]
    assert recorded["LIBRENMS_TOKEN"] == HIDDEN and recorded["NETBOX_TOKEN"] == HIDDEN  # the safe copy was kept

    devices_before = netbox.dcim.devices.count()
    second_dir = job.workdir / "second"
    second = launch(second_dir, job.envvars, extravars, job.secret_inputs)
    assert (second.status, second.rc) == ("successful", 0), second.stdout.read()[-3000:]
    assert second.stats["changed"].get("localhost", 0) == 0
    assert netbox.dcim.devices.count() == devices_before
    assert leaks(second, second_dir, job.hidden) == []
