"""Session fixtures: the real services, started once for the whole integration run."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pynetbox
import pytest

from harness import stack
from harness.librenms_sim.control import SimulatorControl
from harness.settings import PORT_VARIABLES, REPO_ROOT, load_settings

pytestmark = pytest.mark.integration

XDIST_PORT_SHIFT = 500


def _own_stack_per_xdist_worker() -> None:
    """Under pytest-xdist (`make integration` runs two), worker gwN > 0 gets its own services: ports shifted by
    500 * N and its own run directory, so no test sees another worker's NetBox, change log, Redis or workers.
    gw0 keeps the configured ports, so the stack `make test` starts ahead of the run is used as it is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    if index == 0:
        return
    settings = load_settings()
    ports = (settings.redis_port, settings.postgres_port, settings.netbox_port, settings.librenms_port)
    os.environ.update({name: str(port + XDIST_PORT_SHIFT * index) for name, port in zip(PORT_VARIABLES, ports)})
    os.environ["HARNESS_RUN_DIR"] = f"{settings.run_dir}-{worker}"


_own_stack_per_xdist_worker()


@pytest.fixture(scope="session")
def services():
    """Start NetBox, PostgreSQL, Redis and the LibreNMS simulator unless they already run.

    Services this fixture started are stopped at the end of the session; ones a developer started
    with `make services-up` are left running.
    """
    settings = load_settings()
    already_up = all(state.startswith("up") for state in stack.status(settings).values()) and stack.read_endpoints(
        settings
    )
    endpoints = stack.up(settings)
    yield endpoints
    if not already_up:
        stack.down(settings)


@pytest.fixture(scope="session")
def netbox(services):
    return pynetbox.api(services["netbox"]["url"], token=services["netbox"]["token_v2"])


@pytest.fixture()
def librenms(services):
    """Simulator control with counters and fault switches reset before and after each test."""
    control = SimulatorControl(services["librenms"]["url"])
    control.reset()
    yield control
    control.reset()


@pytest.fixture(scope="session")
def ansible_env(services, tmp_path_factory) -> dict:
    """Environment for ansible-playbook/ansible-inventory runs: the checkout as the collection, venv Python."""
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=str(Path(REPO_ROOT, ".venv", "bin", "python")),
        ANSIBLE_LOCAL_TEMP=str(tmp_path_factory.mktemp("ansible-tmp")),
        ANSIBLE_NOCOLOR="1",
        NETBOX_URL=services["netbox"]["url"],
        NETBOX_TOKEN=services["netbox"]["token_v2"],
        LIBRENMS_URL=services["librenms"]["url"],
        LIBRENMS_TOKEN=services["librenms"]["token"],
        NETBOX_LIBRENMS_REDIS_URL=services["redis"]["url"],
    )
    return env


def run_playbook(path: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(REPO_ROOT, ".venv", "bin", "ansible-playbook")), str(path), *args],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )


_ONE_TASK_PLAYBOOK = """
- name: Run one module task and save what it registered
  hosts: localhost
  gather_facts: false
  tasks:
    - name: The task under test
      {module_name}: "{{{{ module_args }}}}"
      register: outcome
      ignore_errors: true
    - name: Save the result for the test
      check_mode: false
      ansible.builtin.copy:
        content: "{{{{ outcome | to_json }}}}"
        dest: "{{{{ result_path }}}}"
        mode: "0600"
"""


@pytest.fixture()
def run_module(ansible_env, tmp_path):
    """Run one module through ansible-playbook (a real Ansible run) and return what it registered."""
    def run(module_name: str, module_args: dict, *extra: str, env: dict | None = None) -> dict:
        playbook = tmp_path / "play.yml"
        playbook.write_text(_ONE_TASK_PLAYBOOK.format(module_name=module_name))
        result_path = tmp_path / "result.json"
        result_path.unlink(missing_ok=True)
        variables = tmp_path / "vars.json"
        variables.write_text(json.dumps(
            {"module_args": module_args, "result_path": str(result_path)}
        ))
        completed = run_playbook(playbook, env or ansible_env, "-e", f"@{variables}", *extra)
        if not result_path.exists():
            raise AssertionError(f"ansible-playbook failed:\n{completed.stdout}\n{completed.stderr}")
        result = json.loads(result_path.read_text())
        result["_stdout"] = completed.stdout
        return result

    return run
