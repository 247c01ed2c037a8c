"""How much the inventory plugin costs over floor B (a minimal plugin making the same inventory) for 10,000 devices,
and what one compose, keyed_groups and groups entry adds, through the plugin's fast path and ansible-core's own.

The measurement is `make bench`'s B4 (bench/inventory.py), run in a child process so that ansible-core's plugin
loader never touches the pytest process, against a simulator served here with 10,000 devices. It prints the
figures and writes them to tests/output/inventory_benchmark.json. Timings are not asserted (the machines are
shared and noisy); `make bench` reports them against their targets.
"""

from __future__ import annotations

import json

import pytest

from bench.inventory import report, run_child
from harness.librenms_sim.server import running_simulator
from harness.settings import REPO_ROOT

OUTPUT = REPO_ROOT / "tests" / "output" / "inventory_benchmark.json"
TOKEN = "inv-bench-token-5c1d"  # a throwaway token of a throwaway simulator
SIZE = 10_000


@pytest.mark.integration
def test_inventory_benchmark_10000_devices(capsys):
    with running_simulator(TOKEN, seed=42, size=SIZE) as server:
        expected_hosts = sum(1 for row in server.sim.estate.devices
                             if str(row["disabled"]) in ("0", "False") and str(row["ignore"]) in ("0", "False"))
        # Two rounds (one through ansible-core's slow constructed path) show correctness; make bench times more.
        result = run_child(server.url, TOKEN, rounds=2, core_rounds=1)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    with capsys.disabled():
        print("\n" + report(result))
    # Correctness, not speed: every active device became a host, in many groups, with real figures.
    assert result["devices"] == SIZE
    assert result["hosts"] == expected_hosts > 9000
    assert result["groups"] > 20
    assert all(value > 0 for value in result["best_s"].values())
    assert result["same_output"] == {"floor_b_vs_plugin": {"same": True}, "constructed_vs_core": {"same": True}}
