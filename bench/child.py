"""The measured work of one run, in a process of its own: `python -m bench.child <mode> <args.json>`.

Each mode times its work with perf_counter around the work itself (the interpreter's start-up and imports are
outside), and prints one JSON line: seconds, the process's peak RSS and the requests it made. Credentials come
from the environment (NETBOX_URL, NETBOX_TOKEN, LIBRENMS_URL, LIBRENMS_TOKEN), never from the arguments file.
With "profile": true in the arguments the work runs under cProfile and the top entries come back too.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import sys
import time
from typing import Any, Callable, Dict

PROFILE_ENTRIES = 15
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _connection() -> Dict[str, Any]:
    return {"librenms_url": os.environ["LIBRENMS_URL"], "librenms_token": os.environ["LIBRENMS_TOKEN"],
            "netbox_url": os.environ["NETBOX_URL"], "netbox_token": os.environ["NETBOX_TOKEN"]}


def search_library(args: dict) -> Callable[[], dict]:
    """What librenms_device_filter runs (run_search), without Ansible around it."""
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import run_search

    params = dict(args["params"], **_connection())

    def work():
        result = run_search(params)
        return {"api_calls": result["api_calls"], "summary": result["summary"]}

    return work


def ready_standalone(args: dict) -> Callable[[], dict]:
    """The first `count` devices a search finds ready that are neither stacks nor VMs: what B2 imports."""
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import run_search

    params = dict(args["params"], **_connection())

    def work():
        states = run_search(params)["devices"]
        ready = sorted(s["device_id"] for s in states
                       if s["status"] == "ready" and s["import_as"] == "device" and not s.get("virtual_chassis"))
        return {"device_ids": ready[:int(args["count"])], "ready_standalone": len(ready)}

    return work


def import_library(args: dict) -> Callable[[], dict]:
    """What librenms_device_import runs (run_import), without Ansible around it."""
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.import_run import run_import

    params = dict(args["params"], **_connection())

    def work():
        result = run_import(params)
        return {"api_calls": result["api_calls"], "summary": result["summary"]}

    return work


def module_process(args: dict) -> Callable[[], dict]:
    """The module's own process (what Ansible runs on the target): options in, library, exit_json's JSON out."""
    import contextlib
    import importlib

    from ansible.module_utils import basic

    module = importlib.import_module(f"ansible_collections.netbox_librenms.sync.plugins.modules.{args['module']}")
    params = dict(args["params"], **_connection())

    def work():
        # as AnsiballZ hands them over (the "legacy" JSON profile, ansible-core's default for a module run directly)
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": params}).encode()
        basic._ANSIBLE_PROFILE = "legacy"
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            module.main()
        return {"result_bytes": len(out.getvalue())}

    return work


def _counted_netbox():
    """pynetbox with a session that counts requests, as the raw script of a user would have."""
    import pynetbox

    api = pynetbox.api(os.environ["NETBOX_URL"], token=os.environ["NETBOX_TOKEN"])
    counter = {"requests": 0}

    def count(response, *_args, **_kwargs):
        counter["requests"] += 1
        return response

    api.http_session.hooks["response"].append(count)
    return api, counter


def search_raw(args: dict) -> Callable[[], dict]:
    """The floor of a search: one LibreNMS list call and json.loads, then the NetBox lists a search needs
    (the same endpoints, fields and page size the library reads), with requests and pynetbox directly."""
    import requests
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_reads import (
        EXISTING_DEVICE_FIELDS,
        EXISTING_VM_FIELDS,
        PAGE_SIZE,
        REFERENCE_ENDPOINTS,
    )

    api, counter = _counted_netbox()
    lists = [*REFERENCE_ENDPOINTS.values(), ("dcim", "devices", EXISTING_DEVICE_FIELDS),
             ("virtualization", "virtual_machines", EXISTING_VM_FIELDS)]

    def work():
        answer = requests.get(f"{os.environ['LIBRENMS_URL']}/api/v0/devices",
                              headers={"X-Auth-Token": os.environ["LIBRENMS_TOKEN"]}, timeout=300)
        answer.raise_for_status()
        devices = json.loads(answer.content)["devices"]
        objects = 0
        for app, endpoint, fields in lists:
            objects += len(list(getattr(getattr(api, app), endpoint).filter(limit=PAGE_SIZE, fields=fields)))
        return {"librenms_devices": len(devices), "netbox_objects": objects,
                "api_calls": {"netbox": counter["requests"], "librenms": {"list_devices": 1}}}

    return work


# At 3 and 4 batches at once, one batch was refused 4 times in a row (measured): the floor keeps trying.
DEADLOCK_ATTEMPTS = 25


def bulk_create(args: dict) -> Callable[[], dict]:
    """The floor of an import: the same device payloads, created with pynetbox in bulk, `concurrency` batches at once
    (1: batch after batch), each batch one POST, as a user's script with a thread pool would send them."""
    from concurrent.futures import ThreadPoolExecutor

    import pynetbox

    api, counter = _counted_netbox()
    payloads, batch = args["payloads"], int(args["batch_size"])
    batches = [payloads[start:start + batch] for start in range(0, len(payloads), batch)]

    deadlocks = []

    def create(records):
        # Concurrent batches deadlock on NetBox's device-type counters (PostgreSQL refuses one of them): a script
        # that means to finish sends that batch again, as the library does.
        for attempt in range(DEADLOCK_ATTEMPTS):
            try:
                return api.dcim.devices.create(records)
            except pynetbox.RequestError as exc:
                if attempt == DEADLOCK_ATTEMPTS - 1 or "deadlock detected" not in str(exc):
                    raise
                deadlocks.append(len(records))
        return []

    def work():
        with ThreadPoolExecutor(max_workers=int(args.get("concurrency") or 1)) as pool:
            created = sum(len(records) for records in pool.map(create, batches))
        return {"created": created, "api_calls": {"netbox": counter["requests"]}, "deadlocks": len(deadlocks)}

    return work


def ready_devices(args: dict) -> Callable[[], dict]:
    """Every device a search finds ready to import as a device, stacks included: what B6 imports, then syncs."""
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.search_run import run_search

    params = dict(args["params"], **_connection())

    def work():
        states = run_search(params)["devices"]
        return {"device_ids": sorted(s["device_id"] for s in states
                                     if s["status"] == "ready" and s["import_as"] == "device")}

    return work


def background_import(args: dict) -> Callable[[], dict]:
    """B5: a background import queued as librenms_device_import queues it (split into batch jobs past
    batch_jobs_threshold), timed from the enqueue to its parent's end; the workers are the bench's."""
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.dispatch import dispatch_import
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
        fetch,
        job_info,
        result_of,
        wait_for,
    )
    from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.redis_connection import connect

    params = dict(args["params"], background="always", redis_url=args["redis_url"], **_connection())

    def work():
        queued = dispatch_import(params, check_mode=False, diff=False)
        job = wait_for(fetch(connect(args["redis_url"]), queued["job"]["id"]), 3600, 0.2)
        info, result = job_info(job), result_of(job) or {}
        return {"status": info["status"], "batch_jobs": len(job.meta.get("batch_jobs") or []),
                "workers": sorted({b["worker"] for b in result.get("batch_jobs", []) if b.get("worker")}),
                "summary": result.get("summary"), "api_calls": result.get("api_calls")}

    return work


def sync_bulk_create(args: dict) -> Callable[[], dict]:
    from bench.sync_floor import sync_bulk_create as floor

    return floor(args)


MODES = {"search_library": search_library, "ready_standalone": ready_standalone, "import_library": import_library,
         "module_process": module_process, "search_raw": search_raw, "bulk_create": bulk_create,
         "ready_devices": ready_devices, "sync_bulk_create": sync_bulk_create,
         "background_import": background_import}


def profile_text(profiler: cProfile.Profile) -> str:
    """The top entries by cumulative time (where the time goes, waits included), then by own time (CPU)."""
    parts = []
    for order, label in (("cumulative", "cumulative time"), ("tottime", "own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(PROFILE_ENTRIES)
        lines = [line.replace(str(_ROOT) + "/", "") for line in out.getvalue().splitlines() if line.strip()]
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        parts.append(f"by {label}:\n" + "\n".join(lines[start:]))
    return "\n\n".join(parts)


def main(argv) -> int:
    mode, args_path = argv
    with open(args_path, encoding="utf-8") as handle:
        args = json.load(handle)
    work = MODES[mode](args)
    profiler = cProfile.Profile() if args.get("profile") else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    figures = work()
    if profiler:
        profiler.disable()
    figures["seconds"] = time.perf_counter() - started
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profiler:
        figures["profile"] = profile_text(profiler)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
