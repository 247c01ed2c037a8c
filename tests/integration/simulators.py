"""A test module's own LibreNMS simulator, and the rows it serves computed without HTTP."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Iterator

from harness.librenms_sim.control import SimulatorControl
from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.server import running_simulator


@contextmanager
def private_simulator(token_prefix: str, seed: int, size: int) -> Iterator[SimpleNamespace]:
    """A simulator served over HTTP for one test module: url, a random token, and its control client."""
    token = token_prefix + secrets.token_hex(16)
    with running_simulator(token, seed=seed, size=size) as server:
        yield SimpleNamespace(url=server.url, token=token, control=SimulatorControl(server.url))


def estate_rows(seed: int, size: int) -> SimpleNamespace:
    """The simulator's device rows by id, its special devices and inventories (the expected side of assertions)."""
    estate = build_estate(seed=seed, size=size)
    return SimpleNamespace(by_id={row["device_id"]: row for row in estate.devices}, specials=dict(estate.specials),
                           inventory=estate.inventory)


def private_env(ansible_env: dict, sim: SimpleNamespace) -> dict:
    """An Ansible environment pointing at a private simulator, without Redis: every run happens in the task."""
    variables = dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token)
    variables.pop("NETBOX_LIBRENMS_REDIS_URL", None)
    return variables
