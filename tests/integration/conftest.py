"""Session fixtures: the real services, started once for the whole integration run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from harness import stack
from harness.librenms_sim.control import SimulatorControl
from harness.settings import REPO_ROOT, load_settings

pytestmark = pytest.mark.integration


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
    import pynetbox

    api = pynetbox.api(services["netbox"]["url"], token=services["netbox"]["token_v2"])
    return api


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
