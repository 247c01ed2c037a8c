# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: write a sync plan in dependency order, in batches; or, in check mode, count
what a real run would write, object by object, without writing."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.apply import Writer
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.sync_plan import KINDS, Ref, SyncPlan
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import normalize_mac
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_components import (
    delete_in_batches,
)

ACTIONS = (("create", "created"), ("update", "updated"), ("delete", "deleted"))
# NetBox's words when another run wrote the same object first: a uniqueness clash, a duplicate address in one
# VRF (ENFORCE_GLOBAL_UNIQUE), an interface cabled meanwhile.
_CONCURRENT_WORDS = ("duplicate ip address", "duplicate termination")
# What a Ref resolves to when a concurrent run created its object: what depends on it is that run's to write.
CLAIMED = "claimed by a concurrent run"
Progress = Callable[[str, int, int], None]
MacsOn = Callable[[str, List[int]], List[Dict[str, Any]]]


def resolve(value: Any, ids: Dict[Ref, Any]) -> Any:
    """The payload with every Ref replaced by the id NetBox gave (a Ref still unwritten stays a Ref)."""
    if isinstance(value, Ref):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {key: resolve(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, ids) for item in value]
    return value


def _pending(value: Any) -> bool:
    if isinstance(value, Ref) or value == CLAIMED:
        return True
    if isinstance(value, dict):
        return any(_pending(item) for item in value.values())
    if isinstance(value, list):
        return any(_pending(item) for item in value)
    return False


def _fail(plan: SyncPlan, failures: List[Dict[str, Any]], item: Dict[str, Any], kind: str, error: str) -> None:
    plan.count(item["device"], kind, "failures")
    failures.append({"device": item["device"], "kind": kind, "object": item["object"], "error": error})


def _written_meanwhile(plan: SyncPlan, ready: List[Tuple[Dict[str, Any], Dict[str, Any]]], macs_on: MacsOn):
    """The MAC objects still to create. NetBox lets a MAC value repeat, so just before creating them, the ones a
    concurrent run has created on the same interfaces since this run read NetBox are taken instead."""
    interfaces: Dict[str, set] = {}
    for _item, payload in ready:
        interfaces.setdefault(payload["assigned_object_type"], set()).add(payload["assigned_object_id"])
    found = {}
    for object_type, ids in interfaces.items():
        for mac in macs_on(object_type, sorted(ids)):
            found[(object_type, mac["assigned_object_id"], normalize_mac(mac["mac_address"]))] = mac["id"]
    still = []
    for item, payload in ready:
        key = (payload["assigned_object_type"], payload["assigned_object_id"], payload["mac_address"])
        if key in found:
            plan.conflict(item["device"], "mac_addresses", item["object"], "written meanwhile by another run")
            plan.ids[item["ref"]] = found[key]
        else:
            still.append((item, payload))
    return still


def _write_group(plan: SyncPlan, kind: str, action: str, items: List[Dict[str, Any]], api, write: Writer,
                 failures: List[Dict[str, Any]], macs_on: Optional[MacsOn] = None,
                 progress: Optional[Progress] = None) -> None:
    """Write the items of one kind, action and endpoint; an item naming an unwritten object fails."""
    ready = []
    for item in items:
        payload = resolve(item["payload"], plan.ids)
        if _pending(payload) and CLAIMED in json_values(payload):
            _claimed(plan, item, kind)
        elif _pending(payload):
            _fail(plan, failures, item, kind, "not written: an object it needs was not written")
        else:
            ready.append((item, payload))
    if kind == "mac_addresses" and action == "create" and macs_on is not None:
        ready = _written_meanwhile(plan, ready, macs_on)
    app, name = items[0]["endpoint"]
    endpoint = getattr(getattr(api, app), name)
    if action == "delete":
        outcomes = delete_in_batches(endpoint, [payload["id"] for _item, payload in ready], write.batch_size)
    else:
        # After each batch: a background job saves its progress there and stops before the next batch if asked.
        on_batch = (lambda done, total: progress(f"write {kind}", done, total)) if progress else None
        outcomes = write(endpoint, action, [payload for _item, payload in ready], on_batch)
    done = dict(ACTIONS)[action]
    for (item, _payload), outcome in zip(ready, outcomes):
        if outcome.get("exists") or any(word in outcome.get("error", "").lower() for word in _CONCURRENT_WORDS):
            _claimed(plan, item, kind)
        elif outcome.get("error"):
            _fail(plan, failures, item, kind, outcome["error"])
        else:
            plan.count(item["device"], kind, done)
            if item["ref"] is not None and action == "create":
                plan.ids[item["ref"]] = outcome["id"]


def json_values(value: Any) -> List[Any]:
    """Every leaf value of a payload."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in json_values(item)]
    if isinstance(value, list) and not isinstance(value, Ref):
        return [leaf for item in value for leaf in json_values(item)]
    return [value]


def _claimed(plan: SyncPlan, item: Dict[str, Any], kind: str) -> None:
    """Another run wrote this object (or one it needs) first: a conflict, and its dependents are that run's."""
    plan.conflict(item["device"], kind, item["object"], "written meanwhile by another run; left to it")
    if item["ref"] is not None:
        plan.ids[item["ref"]] = CLAIMED


def apply_sync_plan(plan: SyncPlan, api, write: Writer, check_mode: bool,
                    progress: Optional[Progress] = None, macs_on: Optional[MacsOn] = None) -> List[Dict[str, Any]]:
    """Write (or, in check mode, count) every planned object; the failures, each naming its object.

    `write` sends the bulk writes (apply.Writer: batch size and concurrency). `progress` is called before each
    group of writes: a background job stops there, before the next write.
    `macs_on(object_type, interface ids)` reads the MAC objects on interfaces (see _written_meanwhile).
    """
    failures: List[Dict[str, Any]] = []
    groups = [(kind, action, done) for kind in KINDS for action, done in ACTIONS if plan.items[kind][action]]
    for step, (kind, action, done) in enumerate(groups):
        items = plan.items[kind][action]
        if check_mode:
            for item in items:
                plan.count(item["device"], kind, done)
            continue
        if progress:
            progress(f"write {kind}", step, len(groups))
        for endpoint in dict.fromkeys(item["endpoint"] for item in items):
            _write_group(plan, kind, action, [item for item in items if item["endpoint"] == endpoint], api,
                         write, failures, macs_on, progress)
    return failures


def _shown(value: Any) -> Any:
    if isinstance(value, Ref):
        return f"(new {value[0]})"
    if isinstance(value, dict):
        return {key: _shown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def sync_diff(plan: SyncPlan) -> List[Dict[str, Any]]:
    """Per device, before and after of each object the plan writes."""
    per_device: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for kind in KINDS:
        for action, _done in ACTIONS:
            for item in plan.items[kind][action]:
                entry = per_device.setdefault(item["device"], {"before": {}, "after": {}})
                label = f"{kind}: {item['object']}"
                if action == "create":
                    entry["after"][label] = _shown(item["payload"])
                else:
                    changes = item["changes"]
                    entry["before"][label] = {field: change["before"] for field, change in changes.items()}
                    entry["after"][label] = {field: _shown(change["after"]) for field, change in changes.items()}
    return [dict(entry, before_header=device, after_header=device) for device, entry in sorted(per_device.items())]
