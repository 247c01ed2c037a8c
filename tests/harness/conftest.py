"""Fixtures for the LibreNMS simulator's tests: one in-process server on 127.0.0.1 for the session."""

from __future__ import annotations

import pytest

from harness.librenms_sim.control import SimulatorControl
from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.server import running_simulator
from tests.harness.sim_helpers import DEFAULT_ESTATE, TOKEN, Api


@pytest.fixture(scope="session")
def sim_server():
    with running_simulator(TOKEN, **DEFAULT_ESTATE) as server:
        yield server


@pytest.fixture
def sim(sim_server):
    """The session's server, counters and faults cleared, default estate loaded."""
    state = sim_server.sim
    summary = state.estate.summary()
    if any(summary[k] != v for k, v in DEFAULT_ESTATE.items()):
        state.load_estate(**DEFAULT_ESTATE)
    state.reset()
    yield sim_server
    state.reset()


@pytest.fixture
def api(sim) -> Api:
    api = Api(sim.url)
    yield api
    api.session.close()


@pytest.fixture
def ctl(sim) -> SimulatorControl:
    return SimulatorControl(sim.url)


@pytest.fixture(scope="session")
def estate():
    """The default estate built in-process (same data the server serves)."""
    return build_estate(**DEFAULT_ESTATE)
