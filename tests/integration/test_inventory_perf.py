"""How much the inventory plugin costs over a raw fetch and JSON parse of the same 10,000 devices.

The measurement runs in a child process (this file run as a script) so that ansible-core's plugin loader, which
the in-process parse needs, never touches the pytest process. The child serves 10,000 devices from an in-process
LibreNMS simulator, then alternates, several rounds:

- raw: `requests.get` of GET /api/v0/devices and `json.loads` of the body;
- plugin: the plugin's `parse()` into a fresh InventoryData with a DataLoader (what `ansible-inventory` runs,
  without its start-up and its output), default options;
- and, to tell where the time goes, the library's `list_devices` (fetch, parse, normalise) and ansible-core alone
  adding the same hosts and groups to an InventoryData.

It prints the figures and writes them to tests/output/inventory_benchmark.json. Timings are not asserted (the
machines are shared and noisy); the best round of each is compared, the median ratio is given too.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = REPO_ROOT / "tests" / "output" / "inventory_benchmark.json"
PLUGIN = "netbox_librenms.sync.librenms"
TOKEN = "inv-bench-token-5c1d"  # a throwaway token of a throwaway simulator
SIZE = 10_000
ROUNDS = 5
TARGET = 1.5


def _benchmark() -> dict:
    """The child's work: returns the figures (seconds)."""
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(REPO_ROOT / "collections")])

    import requests
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._librenms_client import LibreNMSClient

    from harness.librenms_sim.server import running_simulator

    def raw(url):
        start = time.perf_counter()
        answer = requests.get(f"{url}/api/v0/devices", headers={"X-Auth-Token": TOKEN}, timeout=120)
        rows = json.loads(answer.content)["devices"]
        return time.perf_counter() - start, len(rows), len(answer.content)

    def plugin_parse(path):
        """parse() timed as a whole and by phase: the fetch (library) and the hosts and groups it adds."""
        inventory = InventoryData()
        inventory.current_source = path
        plugin = inventory_loader.get(PLUGIN)
        phases = {}
        for phase in ("_fetch", "_populate"):
            phases[phase] = 0.0
            plugin.__dict__[phase] = _timed(getattr(plugin, phase), phases, phase)
        start = time.perf_counter()
        plugin.parse(inventory, DataLoader(), path, cache=False)
        elapsed = time.perf_counter() - start
        return elapsed, phases, inventory

    def library(url):
        client = LibreNMSClient(url, TOKEN)
        start = time.perf_counter()
        client.list_devices()
        elapsed = time.perf_counter() - start
        client.close()
        return elapsed

    def core_only(inventory, path):
        """ansible-core's own cost of the same hosts and group memberships, added in the same order, no variable."""
        plan = [(name, [group.name for group in host.groups if group.name not in ("all", "ungrouped")])
                for name, host in inventory.hosts.items()]
        fresh = InventoryData()
        fresh.current_source = path
        start = time.perf_counter()
        for name, groups in plan:
            fresh.add_host(name)
            for group in groups:
                if group not in fresh.groups:
                    fresh.add_group(group)
                fresh.add_child(group, name)
        return time.perf_counter() - start

    with running_simulator(TOKEN, seed=42, size=SIZE) as server, tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "librenms.yml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"plugin: {PLUGIN}\nlibrenms_url: {server.url}\nlibrenms_token: {TOKEN}\n")
        expected_hosts = sum(1 for row in server.sim.estate.devices
                             if str(row["disabled"]) in ("0", "False") and str(row["ignore"]) in ("0", "False"))
        raw(server.url)  # the simulator builds and keeps its answer; imports and code paths warm up
        plugin_parse(path)
        figures = {key: [] for key in ("raw", "plugin", "plugin_fetch", "plugin_hosts_groups",
                                       "library_list_devices", "ansible_core_hosts_groups")}
        for _round in range(ROUNDS):
            seconds, rows, size = raw(server.url)
            figures["raw"].append(seconds)
            seconds, phases, inventory = plugin_parse(path)
            figures["plugin"].append(seconds)
            figures["plugin_fetch"].append(phases["_fetch"])
            figures["plugin_hosts_groups"].append(phases["_populate"])
            figures["library_list_devices"].append(library(server.url))
            figures["ansible_core_hosts_groups"].append(core_only(inventory, path))
        hosts, groups = len(inventory.hosts), len(inventory.groups)
    best = {key: min(values) for key, values in figures.items()}
    median = {key: statistics.median(values) for key, values in figures.items()}
    return {
        "devices": rows, "hosts": hosts, "expected_hosts": expected_hosts, "groups": groups, "body_bytes": size,
        "rounds": ROUNDS, "target_ratio": TARGET,
        "best_s": best, "median_s": median, "all_s": figures,
        "ratio_best": best["plugin"] / best["raw"],
        "ratio_median": median["plugin"] / median["raw"],
    }


def _timed(method, phases, phase):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            phases[phase] += time.perf_counter() - start

    return timed


def _report(result: dict) -> str:
    best, median = result["best_s"], result["median_s"]
    return "\n".join([
        f"inventory benchmark: {result['devices']} LibreNMS devices ({result['body_bytes'] / 1e6:.1f} MB), "
        f"{result['hosts']} hosts, {result['groups']} groups, best of {result['rounds']} rounds",
        f"  raw fetch + json.loads      {best['raw']:.3f} s (median {median['raw']:.3f} s)",
        f"  plugin parse()              {best['plugin']:.3f} s (median {median['plugin']:.3f} s)",
        f"  ratio plugin / raw          {result['ratio_best']:.2f} (median {result['ratio_median']:.2f}); "
        f"target <= {result['target_ratio']}",
        "  where the plugin's time goes (best rounds):",
        f"    fetch: one list call, parse, normalise, filter   {best['plugin_fetch']:.3f} s "
        f"(the library's list_devices alone: {best['library_list_devices']:.3f} s)",
        f"    hosts, variables and groups                      {best['plugin_hosts_groups']:.3f} s "
        f"(ansible-core's add_host/add_child alone: {best['ansible_core_hosts_groups']:.3f} s)",
    ])


@pytest.mark.integration
def test_inventory_benchmark_10000_devices(capsys):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "collections"), str(REPO_ROOT)]))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    completed = subprocess.run([sys.executable, __file__], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                               timeout=900, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(OUTPUT.read_text())
    with capsys.disabled():
        print("\n" + _report(result))
    # Correctness, not speed: every active device became a host, in many groups, with real figures.
    assert result["devices"] == SIZE
    assert result["hosts"] == result["expected_hosts"] > 9000
    assert result["groups"] > 20
    assert all(value > 0 for value in result["best_s"].values())


if __name__ == "__main__":
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    figures = _benchmark()
    OUTPUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(_report(figures))
