"""B1: librenms_device_filter over simulated estates (10 % stacks), stack detection on and off, against the raw
floor (one LibreNMS list call and json.loads, then the NetBox lists a search needs).

Each variant is measured through ansible-playbook (what a user runs; Ansible's start-up included) and as the
library call alone in a child process (timed around the call, as the raw floor is; best of ROUNDS runs each).
LibreNMS requests are the simulator's own counters; NetBox requests are counted by the client.
"""

from __future__ import annotations

from typing import Any, Dict

from bench.context import SEED, Context
from bench.measure import Measured
from bench.options import FILTER, search_args
from bench.runs import run_child, run_module

ROUNDS = 3


def _librenms(stats: dict) -> Dict[str, int]:
    by_endpoint = {key: value for key, value in stats["by_endpoint"].items() if value}
    return {"total": stats["total"], **by_endpoint}


def _playbook_figures(measured: Measured, saved: dict, stats: dict) -> Dict[str, Any]:
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "peak_rss_mb": measured.peak_rss_mb,
            "netbox_requests": saved["api_calls"]["netbox"], "librenms_requests": _librenms(stats),
            "summary": saved["summary"]}


def _child_figures(measured: Measured, figures: dict, stats: dict) -> Dict[str, Any]:
    return {"seconds": figures["seconds"], "process_wall_s": measured.wall_s, "peak_rss_mb": figures["peak_rss_mb"],
            "netbox_requests": figures["api_calls"]["netbox"], "librenms_requests": _librenms(stats)}


def measure_search(ctx: Context, control, vc_detection: bool) -> Dict[str, Any]:
    """One variant on the estate the simulator serves now: playbook, then library."""
    args = search_args(vc_detection)
    control.reset()
    measured, saved = run_module(ctx, FILTER, args)
    playbook = _playbook_figures(measured, saved, control.stats())
    return {"playbook": playbook, "library": _best_child(ctx, control, "search_library", {"params": args})}


def _best_child(ctx: Context, control, mode: str, args: dict) -> Dict[str, Any]:
    """The best of ROUNDS child runs (sub-second work on a shared machine), with every round's seconds."""
    rounds = []
    for _round in range(ROUNDS):
        control.reset()
        measured, figures = run_child(ctx, mode, args)
        rounds.append(dict(_child_figures(measured, figures, control.stats()),
                           **{key: figures[key] for key in ("netbox_objects", "librenms_devices") if key in figures}))
    best = min(rounds, key=lambda run: run["seconds"])
    return dict(best, rounds_s=[run["seconds"] for run in rounds])


def measure_raw(ctx: Context, control) -> Dict[str, Any]:
    return _best_child(ctx, control, "search_raw", {})


def warm_simulator(ctx: Context) -> None:
    """The simulator builds a list answer on its first request and keeps it: build it before any measured run, so
    that no side pays for it (every side then reads the same cached answer)."""
    import requests

    answer = requests.get(f"{ctx.librenms_url}/api/v0/devices", timeout=300,
                          headers={"X-Auth-Token": ctx.endpoints["librenms"]["token"]})
    answer.raise_for_status()


def run_b1(ctx: Context, control) -> Dict[str, Any]:
    sizes = {}
    for size in ctx.sizes.search:
        estate = control.load_estate(SEED, size)
        warm_simulator(ctx)
        print(f"bench: B1 search over {size} devices", flush=True)
        sizes[str(size)] = {
            "devices": estate["devices"], "stack_ratio": estate["stack_ratio"],
            "raw": measure_raw(ctx, control),
            "vc_detection_off": measure_search(ctx, control, vc_detection=False),
            "vc_detection_on": measure_search(ctx, control, vc_detection=True),
        }
    return {"sizes": sizes}
