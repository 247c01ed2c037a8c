# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: a background import split into batch jobs that any worker can run.

RQ's own means tie them: the batch jobs are one RQ Group named after the parent, and the parent is an RQ job that
depends on all of them (allowing their failure), so RQ queues it once the last one has ended, and it merges their
results. Nothing of ours schedules anything. A batch is a list of LibreNMS devices, and a stack is one LibreNMS
device (its virtual chassis and members are written by the batch that imports it): a stack never splits.

While the batch jobs run, the parent is `deferred` for RQ; `parent_view` shows it `started` once one of them has
started, with their progress added up. Stopping the parent (stop_parent) cancels it and the batch jobs that have
not started, and asks the running ones to stop at their next progress point.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    FINAL,
    STOP_KEY,
    error_of,
    result_of,
    stop,
)

try:
    from rq import get_current_job
    from rq.exceptions import InvalidJobOperation
    from rq.group import Group
    from rq.job import Dependency as JobDependency
    from rq.job import Job
except ImportError:  # reported by redis_connection.HAS_RQ
    pass

PARENT_FUNCTION = "ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches.import_parent_job"
BATCH_FUNCTION = "ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker.import_job"
# Lists of a batch's result that the parent's result concatenates, in batch order.
_LISTS = ("created", "updated", "skipped_devices", "failures", "warnings", "errors", "imported_device_pks",
          "imported_vm_pks", "imported_libre_device_ids", "imported_libre_vm_ids")
_COUNTS = ("total", "success_count", "failed_count", "skipped_count", "virtual_chassis_created")


def split_devices(devices: List[Any], size: int) -> List[List[Any]]:
    """The device entries (ids, hostnames or rows) in batches of at most `size`, each entry once, in order."""
    unique: Dict[str, Any] = {}
    for entry in devices:
        key = repr(entry.get("device_id")) if isinstance(entry, dict) else repr(str(entry).strip().lower())
        unique.setdefault(key, entry)
    entries = list(unique.values())
    size = max(1, int(size))
    return [entries[start:start + size] for start in range(0, len(entries), size)]


def enqueue_split(queue, options: Dict[str, Any], batches: List[List[Any]], job_timeout: int, result_ttl: int,
                  description: str):
    """The batch jobs (one RQ Group) and their parent, which RQ queues once they have all ended; the parent."""
    parent_id = str(uuid.uuid4())
    common = {"timeout": job_timeout, "result_ttl": result_ttl, "failure_ttl": result_ttl}
    datas = [queue.prepare_data(
        BATCH_FUNCTION, args=(dict(options, devices=batch, filters={}, all_devices=False),), **common,
        job_id=str(uuid.uuid4()), description=f"{description}, batch {number} of {len(batches)}",
        meta={"kind": "import", "parent": parent_id, "batch": number, "devices": len(batch), "phase": "queued",
              "processed": 0, "total": None, "percent": 0},
    ) for number, batch in enumerate(batches, 1)]
    children = Group(queue.connection, name=parent_id).enqueue_many(queue, datas)
    try:
        return queue.enqueue(
            PARENT_FUNCTION, options, job_id=parent_id, job_timeout=job_timeout, result_ttl=result_ttl,
            failure_ttl=result_ttl, description=description,
            depends_on=JobDependency(jobs=[child.id for child in children], allow_failure=True),
            meta={"kind": "import", "batch_jobs": [child.id for child in children],
                  "devices": sum(len(batch) for batch in batches), "phase": "queued", "processed": 0,
                  "total": None, "percent": 0},
        )
    except BaseException:
        for child in children:  # all or nothing: no batch job without its parent
            with contextlib.suppress(Exception):
                child.cancel()
                child.delete(remove_from_queue=True)
        raise


def batch_jobs(job) -> List[Any]:
    ids = (job.meta or {}).get("batch_jobs") or []
    return [child for child in Job.fetch_many(ids, connection=job.connection) if child is not None] if ids else []


def _status(job) -> str:
    status = job.get_status(refresh=False)
    return str(status.value if hasattr(status, "value") else status)


def parent_view(job, info: Dict[str, Any]) -> Dict[str, Any]:
    """job_info of a parent: `started` while its batch jobs run, their progress added up, their ids and states."""
    children = batch_jobs(job)
    if not children:
        return info
    states = [(child, _status(child), (child.meta or {})) for child in children]
    total = sum(int(meta.get("devices") or 0) for _child, _state, meta in states)
    done = 0.0
    for _child, state, meta in states:
        share = 1.0 if state in FINAL else float(meta.get("share") or 0) if state == "started" else 0.0
        done += share * int(meta.get("devices") or 0)
    if info["status"] == "deferred" and any(state != "queued" for _child, state, _meta in states):
        info["status"] = "started"
    if info["progress"].get("phase") != "done":  # the parent's own progress once it has merged
        info["progress"] = {"phase": "batches", "processed": int(done), "total": total,
                            "percent": round(100.0 * done / total, 1) if total else 0.0}
    info["batch_jobs"] = [{"id": child.id, "status": state, "devices": meta.get("devices"),
                           "worker": child.worker_name} for child, state, meta in states]
    return info


def stop_parent(connection, job) -> bool:
    """Stop a split import: the parent and the batch jobs not started are canceled, running ones stop at their next
    progress point (the parent's stop request is what they look for too); returns once every batch job has ended."""
    children = batch_jobs(job)
    if _status(job) in FINAL and all(_status(child) in FINAL for child in children):
        return False
    connection.set(STOP_KEY + job.id, "1", ex=max(int(job.timeout or 0), 3600) + 3600)
    with contextlib.suppress(InvalidJobOperation):
        job.cancel()
    for child in children:
        if child.get_status(refresh=True) not in FINAL and _status(child) != "started":
            with contextlib.suppress(InvalidJobOperation):  # a worker took it meanwhile: stopped below
                child.cancel()
    for child in children:
        stop(connection, child)
    return True


def _failed_batch(child, status: str) -> Dict[str, Any]:
    """The parent's result for the devices of a batch job that did not finish: each one a failure."""
    error = error_of(child) or {"type": status, "message": f"the batch job ended {status}"}
    reason = f"batch job {child.id} ended {status}: {error['type']}: {error['message']}"
    failures = []
    for entry in (child.args[0] if child.args else {}).get("devices") or []:
        device_id = entry.get("device_id") if isinstance(entry, dict) else entry
        device_id = int(device_id) if str(device_id).strip().isdigit() else None
        failures.append({"device_id": device_id, "name": str(device_id if device_id is not None else entry),
                         "netbox_id": None, "url": None, "reason": reason})
    return {"failures": failures, "errors": [f"{f['name']}: {reason}" for f in failures],
            "total": len(failures), "failed_count": len(failures)}


def merge_results(children: List[Any]) -> Dict[str, Any]:
    """One import result from the batch jobs' results, as a single run of all their devices would report."""
    merged: Dict[str, Any] = {key: [] for key in _LISTS}
    merged.update({key: 0 for key in _COUNTS}, changed=False, custom_field_created=False, completed=True,
                  api_calls={"netbox": 0, "netbox_writes": 0, "librenms": {}}, batch_jobs=[])
    for child in children:
        status = _status(child)
        result = result_of(child) if status == "finished" else None
        part = result if result is not None else _failed_batch(child, status)
        merged["completed"] = merged["completed"] and result is not None
        for key in _LISTS:
            merged[key] += part.get(key) or []
        for key in _COUNTS:
            merged[key] += int(part.get(key) or 0)
        merged["changed"] = merged["changed"] or bool(part.get("changed"))
        merged["custom_field_created"] = merged["custom_field_created"] or bool(part.get("custom_field_created"))
        merged["server_key"] = part.get("server_key", merged.get("server_key"))
        calls = part.get("api_calls") or {}
        merged["api_calls"]["netbox"] += calls.get("netbox", 0)
        merged["api_calls"]["netbox_writes"] += calls.get("netbox_writes", 0)
        for name, count in (calls.get("librenms") or {}).items():
            merged["api_calls"]["librenms"][name] = merged["api_calls"]["librenms"].get(name, 0) + count
        merged["batch_jobs"].append({"id": child.id, "status": status, "worker": child.worker_name,
                                     "devices": (child.meta or {}).get("devices")})
    merged["summary"] = {key: merged[key] for key in _COUNTS}
    return merged


def import_parent_job(_options: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """What a worker runs for the parent once its batch jobs have ended: their merged result."""
    job = get_current_job()
    result = merge_results(batch_jobs(job))
    job.meta.update({"phase": "done", "processed": result["total"], "total": result["total"], "percent": 100.0})
    job.save_meta()
    return result
