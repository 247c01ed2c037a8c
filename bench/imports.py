"""B2 and B3: librenms_device_import of new devices and its re-run, against a raw pynetbox bulk create of the same
devices (the floor) and a loop of netbox.netbox.netbox_device over the same devices, and that loop's re-run.

The import and the floor run in alternation (import, floor, import, floor, ...; best and median of the rounds), the
floor at the import's default write concurrency; then the floor alone at each concurrency of Sizes.floor_concurrency,
NetBox's saturation curve.

The devices are the first ones a search finds ready that are neither stacks nor VMs, so that all three create
exactly the same NetBox objects: the floor and the loop write what the import wrote (read back from NetBox),
with the same names, after the import's devices are deleted. Change-log entries are counted around each run.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any, Dict, List

from bench import netbox_data as nbd
from bench.context import SEED, Context
from bench.cpu import CpuUse
from bench.options import BATCH_SIZE, FILTER, IMPORT, default_write_concurrency, import_args, search_args
from bench.runs import NETBOX_DEVICE_LOOP, run_child, run_module, run_playbook
from bench.search import warm_simulator


def pick_ready_standalone(ctx: Context, count: int) -> List[int]:
    """The first `count` devices a search finds ready that are neither stacks nor VMs: the raw floor creates the same
    objects as the import (B2, B5)."""
    _measured, figures = run_child(ctx, "ready_standalone", {"params": search_args(True), "count": count})
    if len(figures["device_ids"]) < count:
        raise RuntimeError(f"only {figures['ready_standalone']} ready standalone devices; {count} wanted")
    return figures["device_ids"]


def _timed_with_changes(api, run) -> Dict[str, Any]:
    before, cpu = nbd.change_count(api), CpuUse()
    cpu.start()
    figures = run()
    figures["cpu"] = cpu.stop()
    figures["change_log_entries"] = nbd.change_count(api) - before
    return figures


def _import_run(ctx: Context, control, device_ids: List[int]) -> Dict[str, Any]:
    control.reset()
    measured, saved = run_module(ctx, IMPORT, import_args(device_ids))
    if saved.get("failed"):
        raise RuntimeError(f"the import failed: {saved.get('msg')}")
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "peak_rss_mb": measured.peak_rss_mb,
            "summary": saved["summary"],
            "netbox_requests": saved["api_calls"]["netbox"], "netbox_writes": saved["api_calls"]["netbox_writes"],
            "librenms_requests": control.stats()["total"]}


def _search_run(ctx: Context, vc_detection: bool) -> Dict[str, Any]:
    measured, saved = run_module(ctx, FILTER, search_args(vc_detection))
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "devices": saved["summary"]}


def _loop_run(ctx: Context, collections: Path, devices: List[dict]) -> Dict[str, Any]:
    measured, saved = run_playbook(ctx, NETBOX_DEVICE_LOOP, {"devices": devices}, [collections])
    if saved["failed"]:
        raise RuntimeError(f"{saved['failed']} netbox_device tasks failed")
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "peak_rss_mb": measured.peak_rss_mb,
            "changed_tasks": saved["changed"]}


def _floor_run(ctx: Context, payloads: List[dict], concurrency: int = 1) -> Dict[str, Any]:
    measured, figures = run_child(ctx, "bulk_create", {"payloads": payloads, "batch_size": BATCH_SIZE,
                                                       "concurrency": concurrency})
    return {"seconds": figures["seconds"], "process_wall_s": measured.wall_s, "peak_rss_mb": figures["peak_rss_mb"],
            "created": figures["created"], "netbox_requests": figures["api_calls"]["netbox"],
            "concurrency": concurrency, "deadlocks": figures.get("deadlocks", 0)}


def _best_and_median(runs: List[Dict[str, Any]], key: str) -> Dict[str, float]:
    values = sorted(run[key] for run in runs)
    return {"best": values[0], "median": statistics.median(values)}


def _alternated(ctx: Context, control, api, device_ids: List[int]) -> Dict[str, Any]:
    """Import, floor, import, floor...: the floor at the import's write concurrency, the same names deleted between
    runs. The last import is followed by its re-run (B3). Returns the rounds and the imported devices."""
    imports, floors, rerun, devices = [], [], None, []
    for number in range(1, ctx.sizes.import_rounds + 1):
        print(f"bench: B2 round {number}: import of {len(device_ids)} devices, then the floor", flush=True)
        imports.append(_timed_with_changes(api, lambda: _import_run(ctx, control, device_ids)))
        devices = devices or _imported_devices(api, device_ids)
        if len(devices) != len(device_ids):
            raise RuntimeError(f"the import created {len(devices)} devices, {len(device_ids)} expected")
        if number == ctx.sizes.import_rounds:
            print("bench: B3 re-run of the import", flush=True)
            rerun = _timed_with_changes(api, lambda: _import_run(ctx, control, device_ids))
        nbd.delete_devices_named(api, [device["name"] for device in devices])
        payloads = nbd.raw_payloads(devices)
        floors.append(_timed_with_changes(
            api, lambda payloads=payloads: _floor_run(ctx, payloads, default_write_concurrency())))
        nbd.delete_devices_named(api, [device["name"] for device in devices])
    return {"imports": imports, "floors": floors, "rerun": rerun, "devices": devices}


def _floor_curve(ctx: Context, api, devices: List[dict]) -> Dict[str, Any]:
    """The raw bulk create at each concurrency, in a rotating order over the rounds: NetBox's saturation curve."""
    names = [device["name"] for device in devices]
    runs: Dict[int, List[Dict[str, Any]]] = {level: [] for level in ctx.sizes.floor_concurrency}
    levels = list(ctx.sizes.floor_concurrency)
    for number in range(ctx.sizes.import_rounds):
        order = levels[number % len(levels):] + levels[:number % len(levels)]
        print(f"bench: B2 floor curve, round {number + 1}: concurrency {order}", flush=True)
        for level in order:
            runs[level].append(_floor_run(ctx, nbd.raw_payloads(devices), level))
            nbd.delete_devices_named(api, names)
    return {str(level): {"runs": found, "seconds": _best_and_median(found, "seconds")} for level, found in
            runs.items()}


def run_b2_b3(ctx: Context, control, api, collections: Path) -> Dict[str, Any]:
    count = ctx.sizes.import_devices
    control.load_estate(SEED, ctx.sizes.import_estate)
    warm_simulator(ctx)
    nbd.wipe_imports(api)
    device_ids = pick_ready_standalone(ctx, count)
    rounds = _alternated(ctx, control, api, device_ids)
    devices = rounds["devices"]
    names = [device["name"] for device in devices]
    curve = _floor_curve(ctx, api, devices)
    # the search of the same estate, and the library alone, with nothing imported (as before the import)
    searches = {"vc_detection_off": _search_run(ctx, False), "vc_detection_on": _search_run(ctx, True)}
    print(f"bench: B2/B3 alternative, netbox.netbox.netbox_device loop over the same {count} devices", flush=True)
    slugs = nbd.slugs(api)
    data = nbd.netbox_device_data(devices, slugs["sites"], slugs["types"], slugs["roles"], slugs["platforms"])
    loop = _timed_with_changes(api, lambda: _loop_run(ctx, collections, data))
    loop_rerun = _timed_with_changes(api, lambda: _loop_run(ctx, collections, data))
    nbd.delete_devices_named(api, names)
    _import_run(ctx, control, device_ids)  # the library's re-run is measured over imported devices
    library = {"rerun_s": run_child(ctx, "import_library", {"params": import_args(device_ids)})[1]["seconds"],
               "search_detection_off_s": run_child(ctx, "search_library", {"params": search_args(False)})[1]["seconds"]}
    nbd.delete_devices_named(api, names)
    imported = min(rounds["imports"], key=lambda run: run["task_s"])
    floor = min(rounds["floors"], key=lambda run: run["seconds"])
    return {
        "devices": count, "estate_devices": ctx.sizes.import_estate, "batch_size": BATCH_SIZE, "device_ids": device_ids,
        "write_concurrency": default_write_concurrency(), "rounds": ctx.sizes.import_rounds,
        "import": imported, "import_rounds": rounds["imports"],
        "import_task_s": _best_and_median(rounds["imports"], "task_s"),
        "raw_bulk_create": floor, "floor_rounds": rounds["floors"],
        "floor_s": _best_and_median(rounds["floors"], "seconds"), "floor_curve": curve,
        "rerun": rounds["rerun"], "search_same_estate": searches, "library_same_estate": library,
        "netbox_device_loop": loop, "netbox_device_loop_rerun": loop_rerun,
    }


def _imported_devices(api, device_ids: List[int]) -> List[dict]:
    wanted = set(device_ids)
    return [device for device in nbd.all_devices(api)
            if nbd.IMPORT_COMMENT in (device.get("comments") or "")
            and ((device.get("custom_fields") or {}).get("librenms_id") or {}).get("default") in wanted]
