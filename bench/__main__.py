"""`python -m bench [--quick] [--only b1,b2,b4,b6]`: the benchmarks of BENCHMARKS.md in one run (`make bench`).

Starts the harness's services when they are not running (and stops them at the end if it started them), gives
NetBox the simulated estate's reference data, installs netbox.netbox into .cache/bench, runs B1 to B4 and B6, profiles
what misses its target, and writes bench/results.json and BENCHMARKS.md. --quick uses small sizes, for
developing the benchmark itself; its results are written under .cache/bench instead.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Dict

from harness import stack
from harness.errors import HarnessError
from harness.settings import NETBOX_VERSION, load_settings


def _environment(api, netbox_netbox: str) -> Dict[str, Any]:
    from importlib.metadata import version

    import psutil

    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    return {
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "CPU": cpu, "CPU count": os.cpu_count(),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "load average before the run": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "Python": platform.python_version(), "ansible-core": version("ansible-core"),
        "NetBox": api.status().get("netbox-version", NETBOX_VERSION), "pynetbox": version("pynetbox"),
        "netbox.netbox": netbox_netbox, "requests": version("requests"),
    }


def _benchmarks(ctx, control, api, collections, only: set) -> Dict[str, Any]:
    """B1 to B4 and B6 (those in `only`), each of B1 to B4 followed by the profiles of its missed targets."""
    from bench import imports, inventory, profiles, search
    from bench import verdicts as rules

    results: Dict[str, Any] = {"verdicts": [], "profiles": {}}
    if "b1" in only:
        results["b1"] = search.run_b1(ctx, control)
        found = rules.b1_verdicts(results["b1"])
        results["profiles"].update(profiles.profile_b1(ctx, control, _missed(found)))
        results["verdicts"] += found
    if "b2" in only:
        results["b2_b3"] = imports.run_b2_b3(ctx, control, api, collections)
        found = rules.b2_b3_verdicts(results["b2_b3"])
        results["profiles"].update(profiles.profile_b2_b3(ctx, control, api, results["b2_b3"]["device_ids"],
                                                          _missed(found)))
        results["verdicts"] += found
    if "b4" in only:
        results["b4"] = inventory.run_b4(ctx, control)
        found = rules.b4_verdicts(results["b4"])
        results["profiles"].update(profiles.profile_b4(ctx, control, _missed(found)))
        results["verdicts"] += found
    if "b6" in only:
        from bench import syncs

        results["b6"] = syncs.run_b6(ctx, control, api, collections)
        results["verdicts"] += rules.b6_verdicts(results["b6"])
    return results


def _run(args) -> int:
    from bench import context, report
    from bench import netbox_data as nbd
    from bench.netbox_collection import ensure_netbox_collection
    from bench.runs import run_ping
    from harness.librenms_sim.control import SimulatorControl

    started = time.perf_counter()
    settings = load_settings()
    was_up = all(state.startswith("up") for state in stack.status(settings).values()) and stack.read_endpoints(
        settings)
    endpoints = stack.up(settings)
    work = context.WORK_DIR
    (work / "ansible-tmp").mkdir(parents=True, exist_ok=True)
    ctx = context.Context(sizes=context.QUICK if args.quick else context.FULL, endpoints=endpoints, work=work)
    control = SimulatorControl(ctx.librenms_url)
    try:
        collections, netbox_netbox = ensure_netbox_collection(work)
        api = nbd.netbox_api(ctx)
        nbd.prepare_reference_data(api, context.SEED)
        results: Dict[str, Any] = {
            "command": "python -m bench --quick" if args.quick else "make bench",
            "sizes_name": "quick" if args.quick else "full", "sizes": ctx.sizes.__dict__,
            "environment": _environment(api, netbox_netbox),
        }
        ping = run_ping(ctx)
        results["ansible_ping"] = {"wall_s": ping.wall_s, "peak_rss_mb": ping.peak_rss_mb}
        results.update(_benchmarks(ctx, control, api, collections, set(args.only.split(","))))
        results["total_s"] = time.perf_counter() - started
        nbd.wipe_imports(api)
    finally:
        control.load_estate(settings.librenms_seed, settings.librenms_size,  # the harness's own estate again
                            front_ports=settings.librenms_front_ports)
        if not was_up:
            stack.down(settings)
    # development runs never overwrite the committed figures
    json_path, md_path = ((work / "results.quick.json", work / "BENCHMARKS.quick.md") if args.quick
                          else (context.RESULTS_JSON, context.BENCHMARKS_MD))
    report.write(results, json_path, md_path)
    print("\n" + report.console_table(results["verdicts"]))
    print(f"\nbench: wrote {md_path} and {json_path} in {results['total_s']:.0f} s")
    return 0


def _missed(verdicts) -> list:
    return [verdict["key"] for verdict in verdicts if not verdict["met"]]


def main(argv) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, results under .cache/bench")
    parser.add_argument("--only", default="b1,b2,b4,b6", help="comma-separated subset of b1, b2 (with b3), b4, b6")
    try:
        return _run(parser.parse_args(argv))
    except HarnessError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
