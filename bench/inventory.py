"""B4: the inventory plugin against a raw fetch and JSON parse of the same LibreNMS devices.

`python -m bench.inventory` is the child process that measures; LIBRENMS_URL and LIBRENMS_TOKEN name the
LibreNMS to read (the harness's simulator, or one a test serves). NETBOX_URL is not given, so the plugin reads
LibreNMS only, as the raw fetch does. The child alternates, several rounds:

- raw: `requests.get` of GET /api/v0/devices and `json.loads` of the body;
- plugin: the plugin's `parse()` into a fresh InventoryData with a DataLoader (what `ansible-inventory` runs,
  without its start-up and its output), default options;
- and, to tell where the time goes, the library's `list_devices` (fetch, parse, normalise) and ansible-core alone
  adding the same hosts and groups to an InventoryData.

The best round of each is compared (the median ratio is given too). Separately, `ansible-inventory --list` is
timed as a whole with the peak RSS of its process tree: what a user runs, start-up and JSON output included.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

REPO_ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "netbox_librenms.sync.librenms"
DEFAULT_ROUNDS = 5
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 250


def write_inventory_file(directory: str, url: str) -> str:
    """The inventory source: the plugin, the URL; the token comes from LIBRENMS_TOKEN in the environment."""
    path = os.path.join(directory, "librenms.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"plugin: {PLUGIN}\nlibrenms_url: {url}\n")
    return path


def _raw(url: str, token: str):
    import requests

    start = time.perf_counter()
    answer = requests.get(f"{url}/api/v0/devices", headers={"X-Auth-Token": token}, timeout=300)
    rows = json.loads(answer.content)["devices"]
    return time.perf_counter() - start, len(rows), len(answer.content)


def _plugin_parse(path: str):
    """parse() timed as a whole and by phase: the fetch (library) and the hosts and groups it adds."""
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

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


def _library(url: str, token: str) -> float:
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import LibreNMSClient

    client = LibreNMSClient(url, token)
    start = time.perf_counter()
    client.list_devices()
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed


def _core_only(inventory, path: str) -> float:
    """ansible-core's own cost of the same hosts and group memberships, added in the same order, no variable."""
    from ansible.inventory.data import InventoryData

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


def measure(url: str, token: str, rounds: int) -> Dict:
    """The child's work: the figures in seconds."""
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(REPO_ROOT / "collections")])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_inventory_file(tmp, url)
        _raw(url, token)  # the simulator builds and keeps its answer; imports and code paths warm up
        _plugin_parse(path)
        figures = {key: [] for key in ("raw", "plugin", "plugin_fetch", "plugin_hosts_groups",
                                       "library_list_devices", "ansible_core_hosts_groups")}
        for _round in range(rounds):
            seconds, rows, size = _raw(url, token)
            figures["raw"].append(seconds)
            seconds, phases, inventory = _plugin_parse(path)
            figures["plugin"].append(seconds)
            figures["plugin_fetch"].append(phases["_fetch"])
            figures["plugin_hosts_groups"].append(phases["_populate"])
            figures["library_list_devices"].append(_library(url, token))
            figures["ansible_core_hosts_groups"].append(_core_only(inventory, path))
        hosts, groups = len(inventory.hosts), len(inventory.groups)
    best = {key: min(values) for key, values in figures.items()}
    median = {key: statistics.median(values) for key, values in figures.items()}
    return {
        "devices": rows, "hosts": hosts, "groups": groups, "body_bytes": size,
        "rounds": rounds, "target_ratio": TARGET_RATIO,
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


def child_env(url: str, token: str) -> Dict[str, str]:
    """The child's environment: the collection importable, LibreNMS only (no NetBox, no Ansible path)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NETBOX_", "LIBRENMS_", "ANSIBLE_COLLECTIONS"))}
    env.update(PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "collections"), str(REPO_ROOT)]),
               LIBRENMS_URL=url, LIBRENMS_TOKEN=token)
    return env


def run_child(url: str, token: str, rounds: int = DEFAULT_ROUNDS, timeout: float = 900) -> Dict:
    """Run the measuring child; its figures, plus the child's peak RSS (parse, raw and library together)."""
    import subprocess

    completed = subprocess.run([sys.executable, "-m", "bench.inventory", str(rounds)], env=child_env(url, token),
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"inventory benchmark child failed (exit {completed.returncode}):\n"
                           f"{completed.stderr[-3000:].replace(token, '<redacted>')}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def profile_parse(url: str, token: str) -> str:
    """cProfile's top entries of one plugin parse() (in this process: call it from a child only)."""
    import cProfile

    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(REPO_ROOT / "collections")])
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    from bench.child import profile_text

    with tempfile.TemporaryDirectory() as tmp:
        path = write_inventory_file(tmp, url)
        inventory = InventoryData()
        inventory.current_source = path
        profiler = cProfile.Profile()
        profiler.enable()
        inventory_loader.get(PLUGIN).parse(inventory, DataLoader(), path, cache=False)
        profiler.disable()
    return profile_text(profiler)


def run_b4(ctx, control) -> Dict:
    """B4 for `make bench`: the rounds child against the harness's simulator, then `ansible-inventory --list`."""
    from bench.context import SEED, VENV_BIN
    from bench.measure import run_measured

    size = ctx.sizes.inventory
    control.load_estate(SEED, size)
    print(f"bench: B4 inventory of {size} devices", flush=True)
    token = ctx.endpoints["librenms"]["token"]
    figures = run_child(ctx.librenms_url, token, ctx.sizes.inventory_rounds)
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        path = write_inventory_file(tmp, ctx.librenms_url)
        env = dict(child_env(ctx.librenms_url, token), ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"))
        measured = run_measured([str(VENV_BIN / "ansible-inventory"), "-i", path, "--list"], env, cwd=tmp)
    if measured.returncode != 0:
        raise RuntimeError(f"ansible-inventory failed: {measured.stderr[-2000:].replace(token, '<redacted>')}")
    figures["ansible_inventory_list"] = {"wall_s": measured.wall_s, "peak_rss_mb": measured.peak_rss_mb,
                                         "output_bytes": len(measured.stdout)}
    figures["target_peak_mb"] = TARGET_PEAK_MB
    return figures


def run_profile_child(url: str, token: str) -> str:
    import subprocess

    completed = subprocess.run([sys.executable, "-m", "bench.inventory", "profile"], env=child_env(url, token),
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"inventory profile failed: {completed.stderr[-2000:].replace(token, '<redacted>')}")
    return completed.stdout


def report(result: Dict) -> str:
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


if __name__ == "__main__":
    import resource

    if sys.argv[1:] == ["profile"]:
        print(profile_parse(os.environ["LIBRENMS_URL"], os.environ["LIBRENMS_TOKEN"]))
        sys.exit(0)
    figures = measure(os.environ["LIBRENMS_URL"], os.environ["LIBRENMS_TOKEN"],
                      int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ROUNDS)
    figures["child_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
