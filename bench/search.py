"""B1: librenms_device_filter over simulated estates (10 % stacks), stack detection on and off, against the raw
floor (one LibreNMS list call and json.loads, then the NetBox lists a search needs).

Each variant is measured through ansible-playbook (what a user runs; Ansible's start-up included) and as the
library call alone in a child process (timed around the call, as the raw floor is; best of ROUNDS runs each).
LibreNMS requests are the simulator's own counters; NetBox requests are counted by the client.

On the largest estate, the lean result (bench.options.LEAN_RESULT: the importable rows, two keys each) is set
against the full result and the library alone, detection off, in LEAN_ROUNDS rounds of these runs, each round
in another order, so that a drift of the machine weighs on all of them alike: task times, best and median. An
ansible.builtin.ping task runs in each round too: Ansible's own cost of one task, which no result shape removes.
"""

from __future__ import annotations

import statistics
from typing import Any, Dict, List

from bench.context import SEED, Context
from bench.measure import Measured
from bench.options import FILTER, LEAN_RESULT, lean_search_args, search_args
from bench.runs import run_child, run_module

ROUNDS = 3
LEAN_ROUNDS = 5
LEAN_RUNS = ("library", "full", "lean", "ping")
SEARCHES = ("library", "full", "lean")
PLAYBOOKS = ("full", "lean", "ping")
PING = "ansible.builtin.ping"


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


def _lean_round(ctx: Context, control, order: List[str]) -> Dict[str, Dict[str, Any]]:
    """One round of LEAN_RUNS (the library alone, the full result, the lean result, a ping task) in this order."""
    tasks = {"full": (FILTER, search_args(False)), "lean": (FILTER, lean_search_args()), "ping": (PING, {})}
    out = {}
    for run in order:
        control.reset()
        if run == "library":
            measured, figures = run_child(ctx, "search_library", {"params": search_args(False)})
            out[run] = {"seconds": figures["seconds"], "rows": figures["summary"]["total"],
                        "summary": figures["summary"]}
            continue
        measured, saved = run_module(ctx, *tasks[run])
        if saved.get("failed"):
            raise RuntimeError(f"B1 {run} task failed: {saved.get('msg')}")
        out[run] = {"seconds": saved["task_s"], "wall_s": measured.wall_s, "rows": saved["rows_returned"],
                    "summary": saved.get("summary"), "peak_rss_mb": measured.peak_rss_mb}
    return out


def measure_lean(ctx: Context, control, size: int) -> Dict[str, Any]:
    """The lean result against the full one and the library alone (detection off), alternating, LEAN_ROUNDS
    rounds; `seconds` is the task time for the playbook runs and the call's time for the library."""
    rounds = []
    for number in range(LEAN_ROUNDS):
        shift = number % len(LEAN_RUNS)
        rounds.append(_lean_round(ctx, control, [*LEAN_RUNS[shift:], *LEAN_RUNS[:shift]]))
    seconds = {run: [r[run]["seconds"] for r in rounds] for run in LEAN_RUNS}
    best = {run: min(values) for run, values in seconds.items()}
    median = {run: statistics.median(values) for run, values in seconds.items()}
    summaries = {run: rounds[0][run]["summary"] for run in SEARCHES}
    if any(summary != summaries["library"] for summary in summaries.values()):
        raise RuntimeError(f"B1 lean: the three searches disagree on the summary: {summaries}")
    last = rounds[-1]
    return {
        "devices": size, "rounds": LEAN_ROUNDS, "options": LEAN_RESULT, "summary": summaries["lean"],
        "rows": {run: last[run]["rows"] for run in SEARCHES}, "all_s": seconds, "best_s": best,
        "median_s": median,
        "ratio_best": {run: best[run] / best["library"] for run in PLAYBOOKS},
        "ratio_median": {run: median[run] / median["library"] for run in PLAYBOOKS},
        "wall_s": {run: [r[run]["wall_s"] for r in rounds] for run in PLAYBOOKS},
        "peak_rss_mb": {run: max(r[run]["peak_rss_mb"] for r in rounds) for run in PLAYBOOKS},
    }


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
    size = max(ctx.sizes.search)
    if ctx.sizes.search[-1] != size:
        control.load_estate(SEED, size)
        warm_simulator(ctx)
    print(f"bench: B1 lean result against the full result and the library, {size} devices", flush=True)
    return {"sizes": sizes, "lean": measure_lean(ctx, control, size)}
