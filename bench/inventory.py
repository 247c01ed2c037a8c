"""B4: the inventory plugin against floor B, and its constructed options against its plain parse.

`python -m bench.inventory [rounds]` is the child process that measures; LIBRENMS_URL and LIBRENMS_TOKEN name
the LibreNMS to read (the harness's simulator, or one a test serves). NETBOX_URL is not given, so the plugin reads
LibreNMS only. Each round runs every contender once, in an order that rotates from round to round:

- floor B (bench/floor_inventory.py): a minimal plugin giving the same hosts, variables and groups as the plugin's
  plain configuration: one GET, json.loads, add_host, host variables in one step, add_child;
- plugin: the plugin's `parse()` into a fresh InventoryData with a DataLoader (what `ansible-inventory` runs,
  without its start-up and its output), default options;
- constructed: the same with one `compose`, one `keyed_groups` and one `groups` entry (CONSTRUCTED);
- ansible-core constructed: that configuration through ansible-core's own Templar (the plugin's fast path off),
  in the first CORE_ROUNDS rounds only (it is slow);
- for context, raw: `requests.get` of GET /api/v0/devices and `json.loads` of the body.

After the rounds, to tell where the time goes: the library's `list_devices` and ansible-core alone adding the
plugin's hosts and groups. Best and median of each are kept, and the load average before and after. The first
round also checks that floor B and the plugin, and the two constructed paths, made the same inventory. Separately
(run_b4), `ansible-inventory --list` is timed with the peak RSS of its process tree, plain and constructed.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

REPO_ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "netbox_librenms.sync.librenms"
DEFAULT_ROUNDS = 5
CORE_ROUNDS = 2
TARGET_FLOOR_RATIO = 1.10
TARGET_CONSTRUCTED_RATIO = 2.5
TARGET_PEAK_MB = 250
CONSTRUCTED = {
    "compose": {"ansible_network_os": "'cisco.ios.ios' if librenms_os in ['ios', 'iosxe'] else librenms_os"},
    "keyed_groups": [{"key": "librenms_version", "prefix": "version"}],
    "groups": {"no_hardware": "librenms_hardware is none"},
}
CONTENDERS = ("floor_b", "plugin", "constructed", "core_constructed", "raw")


def write_inventory_file(directory: str, url: str, name: str = "librenms.yml",
                         options: Optional[Dict] = None) -> str:
    """The inventory source (JSON is YAML): the plugin, the URL, options; the token comes from LIBRENMS_TOKEN."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"plugin": PLUGIN, "librenms_url": url, **(options or {})}, handle, indent=2)
    return path


def _raw(url: str, token: str):
    import requests

    start = time.perf_counter()
    answer = requests.get(f"{url}/api/v0/devices", headers={"X-Auth-Token": token}, timeout=300)
    rows = json.loads(answer.content)["devices"]
    return time.perf_counter() - start, len(rows), len(answer.content)


def _fresh_inventory(path: str):
    from ansible.inventory.data import InventoryData

    inventory = InventoryData()
    inventory.current_source = path
    return inventory


def _floor_b(url: str, token: str, path: str):
    from ansible.parsing.dataloader import DataLoader

    from bench.floor_inventory import FloorInventory

    inventory = _fresh_inventory(path)
    start = time.perf_counter()
    FloorInventory(url, token).parse(inventory, DataLoader(), path)
    return time.perf_counter() - start, inventory


def _plugin_parse(path: str, fast: bool = True):
    """parse() timed as a whole and by phase: the fetch (library) and the hosts and groups it adds."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    inventory = _fresh_inventory(path)
    plugin = inventory_loader.get(PLUGIN)
    plugin.constructed_fast_path = fast
    phases = {}
    for phase in ("_fetch", "_populate"):
        phases[phase] = 0.0
        plugin.__dict__[phase] = _timed(getattr(plugin, phase), phases, phase)
    start = time.perf_counter()
    plugin.parse(inventory, DataLoader(), path, cache=False)
    return time.perf_counter() - start, phases, inventory


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
    plan = [(name, [group.name for group in host.groups if group.name not in ("all", "ungrouped")])
            for name, host in inventory.hosts.items()]
    fresh = _fresh_inventory(path)
    start = time.perf_counter()
    for name, groups in plan:
        fresh.add_host(name)
        for group in groups:
            if group not in fresh.groups:
                fresh.add_group(group)
            fresh.add_child(group, name)
    return time.perf_counter() - start


def snapshot(inventory) -> Dict:
    """Hosts in order with their variables, groups with their hosts and children: what two inventories share."""
    return {"hosts": [(name, dict(host.vars)) for name, host in inventory.hosts.items()],
            "groups": {name: (sorted(host.name for host in group.hosts),
                              sorted(child.name for child in group.child_groups))
                       for name, group in inventory.groups.items()}}


def _round(order, url: str, token: str, paths: Dict[str, str], with_core: bool, keep=()) -> Dict:
    """Every contender once, in the given order: {contender: (seconds, extra)}; the inventories of `keep` only.

    A collection before each one, and no other inventory alive: the garbage collector's passes inside a timed
    parse then cost every contender the same.
    """
    out = {}
    for contender in order:
        gc.collect()
        if contender == "raw":
            seconds, rows, size = _raw(url, token)
            out[contender] = (seconds, {"devices": rows, "body_bytes": size})
            continue
        if contender == "core_constructed" and not with_core:
            continue
        extra = {}
        if contender == "floor_b":
            seconds, inventory = _floor_b(url, token, paths["plain"])
        else:
            config = "plain" if contender == "plugin" else "constructed"
            seconds, extra["phases"], inventory = _plugin_parse(paths[config], fast=contender != "core_constructed")
        extra.update(hosts=len(inventory.hosts), groups=len(inventory.groups))
        if contender in keep:
            extra["inventory"] = inventory
        del inventory
        out[contender] = (seconds, extra)
    return out


def _same(first: Dict, second: Dict) -> Dict:
    """Whether two rounds' inventories are the same, and the first host or group that differs if not."""
    a, b = snapshot(first["inventory"]), snapshot(second["inventory"])
    if a == b:
        return {"same": True}
    hosts = next((x[0] for x, y in zip(a["hosts"], b["hosts"]) if x != y), None)
    groups = sorted(set(a["groups"]).symmetric_difference(b["groups"]) or
                    [name for name in a["groups"] if a["groups"][name] != b["groups"].get(name)])[:5]
    return {"same": False, "hosts": (len(a["hosts"]), len(b["hosts"])), "first_host": hosts, "groups": groups}


def _summary(figures: Dict) -> Dict:
    best = {key: min(values) for key, values in figures.items() if values}
    median = {key: statistics.median(values) for key, values in figures.items() if values}

    def ratio(top, bottom):
        return {"best": best[top] / best[bottom], "median": median[top] / median[bottom]}

    ratios = {"plugin_vs_floor_b": ratio("plugin", "floor_b"), "constructed_vs_plugin": ratio("constructed", "plugin"),
              "core_constructed_vs_plugin": ratio("core_constructed", "plugin"),
              "core_constructed_vs_constructed": ratio("core_constructed", "constructed")}
    return {"best_s": best, "median_s": median, "all_s": figures, "ratios": ratios}


def measure(url: str, token: str, rounds: int, core_rounds: int = CORE_ROUNDS) -> Dict:
    """The child's work: the figures in seconds."""
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([str(REPO_ROOT / "collections")])
    rounds, core_rounds = max(1, rounds), max(1, min(rounds, core_rounds))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"plain": write_inventory_file(tmp, url),
                 "constructed": write_inventory_file(tmp, url, "constructed.librenms.yml", CONSTRUCTED)}
        # the simulator builds and keeps its answer; imports and code paths warm up
        _round(CONTENDERS, url, token, paths, with_core=False)
        figures = {key: [] for key in (*CONTENDERS, "plugin_fetch", "plugin_hosts_groups", "constructed_hosts_groups")}
        for number in range(rounds):
            order = CONTENDERS[number % len(CONTENDERS):] + CONTENDERS[:number % len(CONTENDERS)]
            keep = CONTENDERS if number == 0 else ("plugin",) if number == rounds - 1 else ()
            found = _round(order, url, token, paths, number < core_rounds, keep)
            for contender, (seconds, _extra) in found.items():
                figures[contender].append(seconds)
            figures["plugin_fetch"].append(found["plugin"][1]["phases"]["_fetch"])
            figures["plugin_hosts_groups"].append(found["plugin"][1]["phases"]["_populate"])
            figures["constructed_hosts_groups"].append(found["constructed"][1]["phases"]["_populate"])
            if number == 0:
                checks = {"floor_b_vs_plugin": _same(found["floor_b"][1], found["plugin"][1]),
                          "constructed_vs_core": _same(found["constructed"][1], found["core_constructed"][1])}
                counts = {contender: (extra["hosts"], extra["groups"]) for contender, (_s, extra) in found.items()
                          if "hosts" in extra}
                raw = found["raw"][1]
            plain = found["plugin"][1].get("inventory") if number == rounds - 1 else None
            found = None  # no inventory of this round stays alive in the next one
        figures["library_list_devices"] = [_library(url, token) for _round in range(rounds)]
        figures["ansible_core_hosts_groups"] = [_core_only(plain, paths["plain"]) for _round in range(rounds)]
    return {
        "devices": raw["devices"], "body_bytes": raw["body_bytes"], "hosts": counts["plugin"][0],
        "groups": counts["plugin"][1], "constructed_groups": counts["constructed"][1], "counts": counts,
        "rounds": rounds, "core_rounds": core_rounds, "constructed_options": CONSTRUCTED,
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())}, "same_output": checks,
        "targets": {"plugin_vs_floor_b": TARGET_FLOOR_RATIO, "constructed_vs_plugin": TARGET_CONSTRUCTED_RATIO,
                    "peak_mb": TARGET_PEAK_MB},
        **_summary(figures),
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


def _child(args, url: str, token: str, timeout: float) -> str:
    import subprocess

    completed = subprocess.run([sys.executable, "-m", "bench.inventory", *args], env=child_env(url, token),
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"inventory benchmark child {' '.join(args)} failed (exit {completed.returncode}):\n"
                           f"{completed.stderr[-3000:].replace(token, '<redacted>')}")
    return completed.stdout


def run_child(url: str, token: str, rounds: int = DEFAULT_ROUNDS, timeout: float = 1800,
              core_rounds: int = CORE_ROUNDS) -> Dict:
    """Run the measuring child; its figures, plus the child's peak RSS (every contender in one process)."""
    stdout = _child([str(rounds), str(core_rounds)], url, token, timeout)
    return json.loads(stdout.strip().splitlines()[-1])


def profile_parse(url: str, token: str, config: str = "plain") -> str:
    """cProfile's top entries of one plugin parse() (in this process: call it from a child only)."""
    import cProfile

    from ansible.plugins.loader import init_plugin_loader

    from bench.child import profile_text

    init_plugin_loader([str(REPO_ROOT / "collections")])
    with tempfile.TemporaryDirectory() as tmp:
        options = CONSTRUCTED if config == "constructed" else None
        path = write_inventory_file(tmp, url, f"{config}.librenms.yml", options)
        profiler = cProfile.Profile()
        profiler.enable()
        _plugin_parse(path)
        profiler.disable()
    return profile_text(profiler)


def _list_inventory(ctx, token: str, options: Optional[Dict] = None) -> Dict:
    """`ansible-inventory --list` of one configuration, timed as a whole, with its process tree's peak RSS."""
    from bench.context import VENV_BIN
    from bench.measure import run_measured

    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        path = write_inventory_file(tmp, ctx.librenms_url, "list.librenms.yml", options)
        env = dict(child_env(ctx.librenms_url, token), ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"))
        measured = run_measured([str(VENV_BIN / "ansible-inventory"), "-i", path, "--list"], env, cwd=tmp)
    if measured.returncode != 0:
        raise RuntimeError(f"ansible-inventory failed: {measured.stderr[-2000:].replace(token, '<redacted>')}")
    return {"wall_s": measured.wall_s, "peak_rss_mb": measured.peak_rss_mb, "output_bytes": len(measured.stdout)}


def run_b4(ctx, control) -> Dict:
    """B4 for `make bench`: the rounds child against the harness's simulator, then `ansible-inventory --list`."""
    from bench.context import SEED

    size = ctx.sizes.inventory
    control.load_estate(SEED, size)
    print(f"bench: B4 inventory of {size} devices", flush=True)
    token = ctx.endpoints["librenms"]["token"]
    figures = run_child(ctx.librenms_url, token, ctx.sizes.inventory_rounds)
    figures["ansible_inventory_list"] = _list_inventory(ctx, token)
    figures["ansible_inventory_list_constructed"] = _list_inventory(ctx, token, CONSTRUCTED)
    return figures


def run_profile_child(url: str, token: str, config: str = "plain") -> str:
    return _child(["profile", config], url, token, 900)


def report(result: Dict) -> str:
    best, median, ratios = result["best_s"], result["median_s"], result["ratios"]
    load = result["load_average"]

    def line(label, key):
        return f"  {label:<34}{best[key]:.3f} s (median {median[key]:.3f} s)"

    return "\n".join([
        f"inventory benchmark: {result['devices']} LibreNMS devices ({result['body_bytes'] / 1e6:.1f} MB), "
        f"{result['hosts']} hosts, {result['groups']} groups ({result['constructed_groups']} constructed), "
        f"best of {result['rounds']} rounds (ansible-core constructed: {result['core_rounds']}); load average "
        f"{load['before'][0]:.2f} before, {load['after'][0]:.2f} after",
        line("floor B", "floor_b"), line("plugin parse()", "plugin"), line("constructed parse()", "constructed"),
        line("ansible-core constructed parse()", "core_constructed"), line("raw fetch + json.loads", "raw"),
        f"  plugin / floor B                  {ratios['plugin_vs_floor_b']['best']:.2f} "
        f"(median {ratios['plugin_vs_floor_b']['median']:.2f}); target <= {TARGET_FLOOR_RATIO:.2f}",
        f"  constructed / plugin              {ratios['constructed_vs_plugin']['best']:.2f} "
        f"(median {ratios['constructed_vs_plugin']['median']:.2f}); target <= {TARGET_CONSTRUCTED_RATIO}",
        f"  ansible-core constructed / plugin {ratios['core_constructed_vs_plugin']['best']:.2f} "
        f"({ratios['core_constructed_vs_constructed']['best']:.1f} x the fast path)",
        f"  same output: floor B and plugin {result['same_output']['floor_b_vs_plugin']['same']}, "
        f"fast and ansible-core constructed {result['same_output']['constructed_vs_core']['same']}",
        f"  where the plugin's time goes: fetch {best['plugin_fetch']:.3f} s (list_devices alone "
        f"{best['library_list_devices']:.3f} s), hosts and groups {best['plugin_hosts_groups']:.3f} s "
        f"(ansible-core's add_host/add_child alone {best['ansible_core_hosts_groups']:.3f} s)",
    ])


if __name__ == "__main__":
    import resource

    if sys.argv[1:2] == ["profile"]:
        print(profile_parse(os.environ["LIBRENMS_URL"], os.environ["LIBRENMS_TOKEN"], *sys.argv[2:3]))
        sys.exit(0)
    numbers = [int(arg) for arg in sys.argv[1:3]]
    figures = measure(os.environ["LIBRENMS_URL"], os.environ["LIBRENMS_TOKEN"], *(numbers or [DEFAULT_ROUNDS]))
    figures["child_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
