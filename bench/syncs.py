"""B6: librenms_device_sync of a whole estate (about 300 devices, 50 interfaces each) and its re-run, against a
raw pynetbox bulk create of the same objects (the floor) and a netbox.netbox loop over a sample of them.

Set-up, not timed: the estate is loaded into the simulator, every device a search finds ready is imported.
Then the sync and its re-run are timed and what the sync wrote is read back: the floor and the loop write the
very same objects, each starting from a copy of the database as it was before the sync. Change-log entries are
counted around each run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bench import netbox_data as nbd
from bench import sync_data
from bench.context import SEED, Context
from bench.imports import _best_and_median, _timed_with_changes
from bench.options import IMPORT, SYNC, SYNC_BATCH_SIZE, default_write_concurrency, import_args, search_args, sync_args
from bench.runs import NETBOX_SYNC_LOOP, run_child, run_module, run_playbook
from harness import netbox_service, postgres_service
from harness.settings import load_settings

IMPORTED_ESTATE = "netbox_bench_b6_imported"  # the copy of NetBox's database each contender starts from


def _import_everything(ctx: Context, control) -> int:
    device_ids = run_child(ctx, "ready_devices", {"params": search_args(True)})[1]["device_ids"]
    control.reset()
    _measured, saved = run_module(ctx, IMPORT, import_args(device_ids))
    if saved.get("failed"):
        raise RuntimeError(f"B6 set-up: the import failed: {saved.get('msg')}")
    return len(device_ids)


def _sync_run(ctx: Context, control) -> Dict[str, Any]:
    control.reset()
    measured, saved = run_module(ctx, SYNC, sync_args())
    if saved.get("failed"):
        raise RuntimeError(f"the sync failed: {saved.get('msg')}")
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "peak_rss_mb": measured.peak_rss_mb,
            "changed": saved.get("changed"), "counts": saved.get("counts"), "api_calls": saved.get("api_calls"),
            "librenms_requests": control.stats()["total"]}


def _floor_run(ctx: Context, objects: Dict[str, list]) -> Dict[str, Any]:
    measured, figures = run_child(ctx, "sync_bulk_create", {"objects": objects, "batch_size": SYNC_BATCH_SIZE})
    return {"seconds": figures["seconds"], "process_wall_s": measured.wall_s, "peak_rss_mb": figures["peak_rss_mb"],
            "written": figures["written"], "seconds_by_kind": figures["seconds_by_kind"],
            "netbox_requests": figures["api_calls"]["netbox"]}


def _loop_run(ctx: Context, collections: Path, sample: Dict[str, Any]) -> Dict[str, Any]:
    variables = {key: sample[key] for key in ("interfaces", "ips", "cables")}
    measured, saved = run_playbook(ctx, NETBOX_SYNC_LOOP, variables, [collections])
    return {"wall_s": measured.wall_s, "task_s": saved["task_s"], "peak_rss_mb": measured.peak_rss_mb,
            "objects": sample["objects"], "changed_tasks": saved["changed"],
            "per_object_s": saved["task_s"] / max(1, sample["objects"])}


def run_b6(ctx: Context, control, api, collections: Path) -> Dict[str, Any]:
    sizes, settings = ctx.sizes, load_settings()
    control.load_estate(SEED, sizes.sync_estate, front_ports=sizes.sync_front_ports)
    nbd.wipe_imports(api)
    sync_data.wipe(api)
    print(f"bench: B6 set-up, importing the ready devices of a {sizes.sync_estate}-device estate", flush=True)
    imported = _import_everything(ctx, control)
    sync_data.enable_interface_field(api)
    found = sync_data.targets(api)
    # Every contender starts from a copy of this database: PostgreSQL copies it in seconds, where deleting
    # the ~45,000 objects of a contender through the API took about 10 minutes.
    netbox_service.copy_database_offline(settings, netbox_service.DB_NAME, IMPORTED_ESTATE)
    try:
        sync, floor, objects = _alternated(ctx, control, api, settings)
        _back_to_imported(settings)
        sample = sync_data.loop_sample(objects, found["names"], sizes.sync_loop_objects)
        print(f"bench: B6 netbox.netbox loop over {sample['objects']} of the same objects", flush=True)
        loop = _timed_with_changes(api, lambda: _loop_run(ctx, collections, sample))
        _progress("loop", loop)
    finally:
        postgres_service.drop_database(settings, IMPORTED_ESTATE)
    nbd.wipe_imports(api)
    return {"estate_devices": sizes.sync_estate, "front_ports": sizes.sync_front_ports, "imported_devices": imported,
            "linked_devices": len(found["by_librenms"]), "objects": sync_data.counts(objects),
            "batch_size": SYNC_BATCH_SIZE, "write_concurrency": default_write_concurrency(),
            "rounds": sizes.sync_rounds, "sync": sync, "raw_bulk_create": floor, "netbox_loop": loop}


def _alternated(ctx: Context, control, api, settings) -> Tuple[Dict[str, Any], Dict[str, Any], Dict[str, list]]:
    """Sync then floor, floor then sync, sync then floor...: each from a copy of the imported estate. The first
    sync is followed by its re-run, and what it wrote, read back, is what every floor writes.
    Returns the sync's figures, the floor's, and the objects."""
    syncs: List[Dict[str, Any]] = []
    floors: List[Dict[str, Any]] = []
    rerun, objects = None, {}
    for number in range(1, ctx.sizes.sync_rounds + 1):
        for name in ("sync", "floor") if number % 2 else ("floor", "sync"):
            _back_to_imported(settings)
            if name == "sync":
                print(f"bench: B6 round {number}: librenms_device_sync", flush=True)
                syncs.append(_timed_with_changes(api, lambda: _sync_run(ctx, control)))
                _progress("sync", syncs[-1])
                if rerun is None:
                    rerun = _timed_with_changes(api, lambda: _sync_run(ctx, control))
                    _progress("sync re-run", rerun)
                    objects = sync_data.read_back(api)
            else:
                print(f"bench: B6 round {number}: raw pynetbox bulk create of {sync_data.counts(objects)}", flush=True)
                floors.append(_timed_with_changes(api, lambda written=objects: _floor_run(ctx, written)))
                _progress("floor", floors[-1])
    sync = {"run": min(syncs, key=lambda run: run["task_s"]), "rerun": rerun, "runs": syncs,
            "task_s": _best_and_median(syncs, "task_s")}
    floor = dict(min(floors, key=lambda run: run["seconds"]), runs=floors,
                 best_and_median=_best_and_median(floors, "seconds"))
    return sync, floor, objects


def _back_to_imported(settings) -> None:
    started = time.perf_counter()
    netbox_service.copy_database_offline(settings, IMPORTED_ESTATE, netbox_service.DB_NAME)
    print(f"bench: B6 NetBox back to the imported estate in {time.perf_counter() - started:.1f} s", flush=True)


def _progress(name: str, figures: Dict[str, Any]) -> None:
    """Each contender's figures as soon as they are known: a run stopped later still leaves them in its log."""
    print(f"bench: B6 {name}: {json.dumps(figures, default=str)}", flush=True)
