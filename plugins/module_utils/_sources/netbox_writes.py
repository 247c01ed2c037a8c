# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: writing to NetBox in bulk, and telling one bad object from a bad batch.

A batch is one POST (or PATCH) of up to batch_size objects. NetBox applies a batch atomically, so when it
rejects one, every object of the batch is sent again on its own: only the objects NetBox itself refuses
fail, each with NetBox's own error text.
"""

from __future__ import annotations

import json
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url

try:
    import pynetbox
    import requests
except ImportError:  # reported by netbox_reads.HAS_PYNETBOX
    pass

CHANGELOG_MESSAGE = "netbox_librenms.sync: import from LibreNMS"
# NetBox's words for a uniqueness clash: a concurrent run (or a person) created the object first.
_UNIQUE_WORDS = ("must be unique", "already exists")

# Batches in flight at once, by default: chosen by measurement (README, "Write concurrency"; BENCHMARKS.md, B2).
DEFAULT_WRITE_CONCURRENCY = 2
# A batch PostgreSQL aborted in a deadlock is sent again whole this many times before it is split into objects.
DEADLOCK_RETRIES = 2
# A background run of more devices than this is split into batch jobs of at most this many devices each.
DEFAULT_BATCH_JOBS_THRESHOLD = 500
Outcome = Dict[str, Any]  # {"id", "url"} on success, {"error": text, "exists": bool} on failure


def _error_text(exc: Exception) -> str:
    if isinstance(exc, pynetbox.RequestError):
        try:
            detail: Any = json.loads(exc.error)
        except (TypeError, ValueError):
            detail = exc.error
        if isinstance(detail, list):
            detail = next((item for item in detail if item), detail)
        if isinstance(detail, dict) and isinstance(detail.get("errors"), list):
            # NetBox 4.7 answers a bulk write with {"detail": "1 of 1 objects could not be created.",
            # "errors": [{"index": 0, "errors": {field: [messages]}}]}: NetBox's own words are inside.
            inner = [item["errors"] for item in detail["errors"] if isinstance(item, dict) and item.get("errors")]
            detail = inner[0] if inner else detail
        if isinstance(detail, dict):
            parts = [f"{field}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for field, v in detail.items()]
            text = "; ".join(parts)
        else:
            text = str(detail)
        return f"NetBox refused it ({exc.req.status_code}): {text[:500]}"
    if isinstance(exc, requests.exceptions.RequestException):
        return f"NetBox could not be reached ({type(exc).__name__})"
    return f"NetBox write failed ({type(exc).__name__})"


def _is_clash(text: str) -> bool:
    return any(word in text.lower() for word in _UNIQUE_WORDS)


def _write(endpoint, method: str, payloads: List[Dict[str, Any]]) -> List[Any]:
    body = [dict(payload, changelog_message=CHANGELOG_MESSAGE) for payload in payloads]
    if method == "create":
        return endpoint.create(body)
    return endpoint.update(body)


def write_in_batches(endpoint, method: str, payloads: List[Dict[str, Any]], batch_size: int,
                     on_batch=None, concurrency: int = DEFAULT_WRITE_CONCURRENCY) -> List[Outcome]:
    """One outcome per payload, in order. method is "create" (POST) or "update" (PATCH with ids).

    Up to `concurrency` batches are in flight at once (NetBox serves requests in parallel); every batch of one
    call is independent of the others, so a caller keeps a dependency order by calling again once a call has
    returned. on_batch(done, total) runs in the caller's thread after each batch ends and before another batch is
    sent: it is a progress point and a stop point (a job asked to stop halts there, with no new batch started).
    A batch is never sent twice: a rejected batch (NetBox rolled it back) is retried object by object, and a batch
    whose answer was lost (a network error: NetBox may have applied it) is not retried at all.
    Batches are formed and scheduled around the counter rows their objects update (see counted_rows).
    """
    workers = max(1, int(concurrency or 1))
    batches = plan_batches(payloads, max(1, batch_size), workers)
    outcomes: List[Outcome] = [{} for _payload in payloads]
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="netbox-write") as pool:
        waiting = list(range(len(batches)))
        running: Dict[Any, int] = {}

        def send_what_may_go() -> None:
            busy = set().union(*(batches[index]["rows"] for index in running.values()))
            for index in list(waiting):
                if len(running) >= workers:
                    return
                if not batches[index]["rows"] & busy:
                    waiting.remove(index)
                    busy |= batches[index]["rows"]
                    chosen = [payloads[position] for position in batches[index]["positions"]]
                    running[pool.submit(_write_batch, endpoint, method, chosen)] = index

        send_what_may_go()
        while running:
            finished, _pending = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                index = running.pop(future)
                for position, outcome in zip(batches[index]["positions"], future.result()):
                    outcomes[position] = outcome
                done += len(batches[index]["positions"])
                if on_batch:
                    on_batch(done, len(payloads))  # may halt the job: then no further batch is sent
            send_what_may_go()
    return outcomes


# The fields of a payload naming a row whose counter NetBox updates when the object is created (or moved): a
# device's type (device_count), an interface's device or VM (interface_count), a member's chassis (member_count).
# The update locks that row until the batch's transaction ends.
COUNTED_BY = ("device_type", "device", "virtual_machine", "virtual_chassis")


def counted_rows(payload: Dict[str, Any]) -> Tuple[Tuple[str, int], ...]:
    """The counter rows a payload's write updates, as (field, id) pairs."""
    return tuple((field, payload[field]) for field in COUNTED_BY
                 if isinstance(payload.get(field), int) and not isinstance(payload.get(field), bool))


def plan_batches(payloads: List[Dict[str, Any]], size: int, concurrency: int) -> List[Dict[str, Any]]:
    """The batches of one call: {"positions": payload indexes, "rows": the counter rows they update}.

    Payloads go in the order of their counter rows, so every transaction, of this run or of another worker's,
    takes those row locks in one global order: waits, never a deadlock. With more than one batch in flight, a
    group of payloads sharing their rows is kept in one batch where it fits, and write_in_batches never sends two
    batches sharing a row at once: concurrent batches then never wait on each other's locks.
    """
    rows = [counted_rows(payload) for payload in payloads]
    order = sorted(range(len(payloads)), key=rows.__getitem__)
    if concurrency == 1:
        chunks = [order[start:start + size] for start in range(0, len(order), size)]
    else:
        chunks = []
        for group in _runs(order, rows):
            if chunks and len(chunks[-1]) + len(group) <= size:
                chunks[-1] += group
            else:
                chunks += [group[start:start + size] for start in range(0, len(group), size)]
    return [{"positions": chunk, "rows": {row for position in chunk for row in rows[position]}} for chunk in chunks]


def _runs(order: List[int], rows: List[Tuple[Tuple[str, int], ...]]) -> List[List[int]]:
    """The positions in `order`, cut where the counter rows change."""
    runs: List[List[int]] = []
    for position in order:
        if runs and rows[runs[-1][0]] == rows[position]:
            runs[-1].append(position)
        else:
            runs.append([position])
    return runs


def _write_batch(endpoint, method: str, batch: List[Dict[str, Any]]) -> List[Outcome]:
    """The outcomes of one batch; a rejected batch is sent again object by object."""
    retries = DEADLOCK_RETRIES
    while True:
        try:
            records = _write(endpoint, method, batch)
            return [{"id": record.id, "url": getattr(record, "url", None)} for record in records]
        except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
            if _is_deadlock(exc) and retries > 0:
                retries -= 1  # PostgreSQL rolled the whole batch back to let a concurrent one through: send it again
                continue
            if isinstance(exc, requests.exceptions.RequestException) or len(batch) == 1:
                text = _error_text(exc)
                return [{"error": text, "exists": _is_clash(text)} for _payload in batch]
            return [_write_one(endpoint, method, payload) for payload in batch]


def _is_deadlock(exc: Exception) -> bool:
    """NetBox's 500 for a PostgreSQL deadlock: concurrent batches of devices update the same device types' counters
    (dcim_devicetype) in different orders, and PostgreSQL aborts one of them."""
    return isinstance(exc, pynetbox.RequestError) and "deadlock detected" in str(exc.error)


def _write_one(endpoint, method: str, payload: Dict[str, Any]) -> Outcome:
    try:
        record = _write(endpoint, method, [payload])[0]
    except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
        text = _error_text(exc)
        return {"error": text, "exists": _is_clash(text)}
    return {"id": record.id, "url": getattr(record, "url", None)}


def delete_in_bulk(endpoint, ids: List[int]) -> Optional[str]:
    """Delete the objects (one DELETE with every id); NetBox's error text, or None when they are gone."""
    try:
        endpoint.delete(ids)
    except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
        return _error_text(exc)
    return None


CUSTOM_FIELD_TYPES = {"device": "dcim.device", "vm": "virtualization.virtualmachine"}


def custom_field_kinds(netbox) -> Optional[set]:
    """The kinds ("device", "vm") the librenms_id custom field is enabled for, or None when it is absent.

    Read through NetBoxAccess, so a failure names NetBox's URL (masked) like every other read.
    """
    fields = netbox.list_all("extras", "custom_fields", "id,name,object_types", name="librenms_id")
    if not fields:
        return None
    types = set(fields[0].get("object_types") or [])
    return {kind for kind, object_type in CUSTOM_FIELD_TYPES.items() if object_type in types}


def create_custom_field(netbox) -> None:
    """The librenms_id JSON custom field on devices and VMs, as netbox-librenms-plugin defines it."""
    try:
        netbox.api.extras.custom_fields.create(
            name="librenms_id", label="LibreNMS ID", type="json",
            object_types=sorted(CUSTOM_FIELD_TYPES.values()),
            description="LibreNMS device id per server: {server_key: device_id}",
            changelog_message=CHANGELOG_MESSAGE,
        )
    except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
        if isinstance(exc, pynetbox.RequestError) and _is_clash(_error_text(exc)):
            return  # a concurrent run (another batch job) created it first
        raise LibrenmsSyncError(f"NetBox {masked_url(netbox.url)}: cannot create the librenms_id custom field: "
                                f"{_error_text(exc)}") from None
