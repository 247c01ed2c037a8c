"""B5: one background import of many devices, split into batch jobs, run by 1 and by 2 real `rq worker` processes.

Timed from the enqueue to the parent job's end (bench.child background_import), against the best raw concurrent
bulk create of the same run (B2's floor curve, in devices per second). The devices are the first ones a search of a
bigger estate finds ready; everything they created is deleted between runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Dict, List

from bench import netbox_data as nbd
from bench.context import SEED, Context
from bench.cpu import CpuUse
from bench.imports import pick_ready_standalone
from bench.options import import_args
from bench.runs import run_child
from bench.search import warm_simulator


def _one_run(ctx: Context, api, device_ids: List[int], workers: int) -> Dict[str, Any]:
    from tests.integration.workers import Workers

    nbd.wipe_imports(api)
    redis_url = ctx.endpoints["redis"]["url"]
    manager = Workers(redis_url, ctx.child_env(), Path(tempfile.mkdtemp(dir=ctx.work)))
    try:
        names = [manager.start().name for _number in range(workers)]
        params = import_args(device_ids)
        if ctx.sizes.background_batch:
            params["batch_jobs_threshold"] = ctx.sizes.background_batch
        cpu = CpuUse()
        cpu.start()
        measured, figures = run_child(ctx, "background_import", {"params": params, "redis_url": redis_url})
        figures["cpu"] = cpu.stop()  # before the workers stop: their reaped work-horses count to them
    finally:
        manager.stop_all()
    if figures["status"] != "finished":
        raise RuntimeError(f"the background import ended {figures['status']}")
    figures.update(workers=workers, worker_names=names, process_wall_s=measured.wall_s,
                   devices_per_s=len(device_ids) / figures["seconds"])
    nbd.wipe_imports(api)
    return figures


def run_b5(ctx: Context, control, api, floor_curve: Dict[str, Any]) -> Dict[str, Any]:
    count = ctx.sizes.background_devices
    control.load_estate(SEED, ctx.sizes.background_estate)
    warm_simulator(ctx)
    nbd.wipe_imports(api)
    device_ids = pick_ready_standalone(ctx, count)
    runs = {}
    for workers in ctx.sizes.background_workers:
        print(f"bench: B5 background import of {count} devices, {workers} worker(s)", flush=True)
        runs[str(workers)] = _one_run(ctx, api, device_ids, workers)
    best_level, best = min(((level, found["seconds"]["best"]) for level, found in floor_curve.items()),
                           key=lambda pair: pair[1])
    created = floor_curve[best_level]["runs"][0]["created"]
    return {"devices": count, "estate_devices": ctx.sizes.background_estate, "runs": runs,
            "batch_jobs_threshold": ctx.sizes.background_batch or None,
            "best_raw": {"concurrency": int(best_level), "seconds": best, "devices": created,
                         "devices_per_s": created / best}}
