# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: carry out an import plan with bulk writes, and report per device.

Order, as netbox-librenms-plugin does it: devices and VMs first; then, for each created stack master,
its VirtualChassis, the master's membership, the other members, and the chassis' master. A chassis that
cannot be completed leaves the master in place with a warning, and a later run completes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    DEFAULT_WRITE_CONCURRENCY,
    delete_in_bulk,
    write_in_batches,
)


@dataclass(frozen=True)
class Writer:
    """Bulk writes of one run: its batch size and how many batches go to NetBox at once."""

    batch_size: int
    concurrency: int = DEFAULT_WRITE_CONCURRENCY

    @classmethod
    def from_options(cls, params: Options) -> Writer:
        """batch_size (100) and write_concurrency (the measured default) as given; 0 or less is refused."""
        check_limits(params, ("batch_size", "write_concurrency"))
        size, concurrency = params.get("batch_size"), params.get("write_concurrency")
        return cls(100 if size is None else int(size),
                   DEFAULT_WRITE_CONCURRENCY if concurrency is None else int(concurrency))

    def __call__(self, endpoint, method: str, payloads: List[Dict[str, Any]], on_batch) -> List[Dict[str, Any]]:
        return write_in_batches(endpoint, method, payloads, self.batch_size, on_batch, self.concurrency)


def _entry(item: Dict[str, Any], outcome: Dict[str, Any]) -> Dict[str, Any]:
    return {"device_id": item["device_id"], "name": item["name"], "kind": item["kind"],
            "netbox_id": outcome.get("id"), "url": outcome.get("url"), "virtual_chassis": None}


def _sort_outcomes(items, outcomes, report) -> List[Dict[str, Any]]:
    """Split into created / skipped_devices (a concurrent run was first) / failures; return the successes."""
    done = []
    for item, outcome in zip(items, outcomes):
        if "error" not in outcome:
            done.append(dict(_entry(item, outcome), item=item))
        elif outcome["exists"]:
            reason = f"created meanwhile by someone else: {outcome['error']}"
            report["skipped_devices"].append(dict(_entry(item, {}), status="exists", reason=reason))
        else:
            report["failures"].append(dict(_entry(item, {}), reason=outcome["error"]))
    return done


def _planned(item: Dict[str, Any]) -> Dict[str, Any]:
    """What check mode reports for a creation: the real run's entry, without NetBox ids."""
    entry = _entry(item, {})
    if item.get("virtual_chassis"):
        entry["virtual_chassis"] = {"id": None, "name": item["virtual_chassis"]["name"],
                                    "members": [m["payload"]["name"] for m in item["virtual_chassis"]["members"]]}
    return entry


def _updated(item: Dict[str, Any]) -> Dict[str, Any]:
    """The `updated` entry of a planned update."""
    return {k: item[k] for k in ("device_id", "name", "kind", "netbox_id", "url", "changes")}


def _completed(item: Dict[str, Any], virtual_chassis: Dict[str, Any]) -> Dict[str, Any]:
    """The updated entry of a stack whose chassis this run completed (or, in check mode, would complete)."""
    changes = {"virtual_chassis": {"before": None, "after": virtual_chassis["name"]}}
    return dict(_updated(dict(item, changes=changes)), virtual_chassis=virtual_chassis)


def _complete_stacks(completions: List[Dict[str, Any]], api, write: Writer, report, progress) -> None:
    masters = [{"name": item["name"], "netbox_id": item["netbox_id"], "item": item} for item in completions]
    if masters:
        _virtual_chassis(masters, api, write, report, progress)
    report["updated"] += [_completed(m["item"], m["virtual_chassis"]) for m in masters if m.get("virtual_chassis")]


def _virtual_chassis(masters: List[Dict[str, Any]], api, write: Writer, report, progress) -> None:
    """Chassis, master membership, members, then the chassis' master: four bulk writes for all stacks.

    Each batch is a progress point, so a job asked to stop halts between batches here too.
    """
    def on_batch(done, total):
        progress("virtual_chassis", done, total)

    vcs = [m["item"]["virtual_chassis"] for m in masters]
    fresh = [{"name": vc["name"], "domain": vc["domain"]} for vc in vcs if not vc.get("existing_id")]
    written = iter(write(api.dcim.virtual_chassis, "create", fresh, on_batch))
    # A chassis NetBox already holds with the domain (a failed run's) is reused: never a second one.
    chassis = [{"id": vc["existing_id"]} if vc.get("existing_id") else next(written) for vc in vcs]
    made = []
    for master, vc, outcome in zip(masters, vcs, chassis):
        if "error" in outcome:
            report["warnings"].append(f"{master['name']}: virtual chassis not created: {outcome['error']}")
        else:
            made.append((master, vc, outcome["id"]))
    joined = write(api.dcim.devices, "update", [
        {"id": master["netbox_id"], "virtual_chassis": vc_id, "vc_position": vc["master_position"]}
        for master, vc, vc_id in made
    ], on_batch)
    kept = []
    for entry, outcome in zip(made, joined):
        if "error" in outcome:
            report["warnings"].append(f"{entry[0]['name']}: not made master of its chassis: {outcome['error']}")
        else:
            kept.append(entry)
    made = kept
    members = [(master, member, vc_id) for master, vc, vc_id in made for member in vc["members"]]
    created = write(api.dcim.devices, "create", [
        dict(member["payload"], virtual_chassis=vc_id, vc_position=member["position"])
        for _master, member, vc_id in members
    ], on_batch)
    names: Dict[int, List[str]] = {}
    for (master, member, _vc_id), outcome in zip(members, created):
        if "error" in outcome:
            report["warnings"].append(f"{master['name']}: member {member['payload']['name']} not created: "
                                      f"{outcome['error']}")
        else:
            names.setdefault(master["netbox_id"], []).append(member["payload"]["name"])
    write(api.dcim.virtual_chassis, "update",
          [{"id": vc_id, "master": master["netbox_id"]} for master, _vc, vc_id in made], on_batch)
    for master, vc, vc_id in made:
        report["warnings"].extend(vc["warnings"])
        master["virtual_chassis"] = {"id": vc_id, "name": vc["name"], "members": names.get(master["netbox_id"], [])}


def _remove_duplicates(removals: List[Dict[str, Any]], api, check_mode: bool, report) -> None:
    """Delete the empty duplicate chassis of the plan (one bulk delete); check mode only reports them."""
    chassis = [dict(vc, domain=item["domain"]) for item in removals for vc in item["chassis"]]
    problem = None if check_mode or not chassis else delete_in_bulk(api.dcim.virtual_chassis,
                                                                    [vc["id"] for vc in chassis])
    if problem:
        report["warnings"].append(f"empty duplicate virtual chassis not removed: {problem}")
    else:
        report["removed_virtual_chassis"] = chassis


def apply_plan(plan: Dict[str, List[Dict[str, Any]]], api, write: Writer, check_mode: bool,
               progress) -> Dict[str, Any]:
    """Devices and VMs, then chassis, memberships, members and chassis masters: each step starts once the one
    before has ended, so a step's concurrent batches never need an object that another batch is writing."""
    report: Dict[str, Any] = {"created": [], "updated": [], "skipped_devices": list(plan["skips"]), "failures": [],
                              "warnings": [], "removed_virtual_chassis": []}
    _remove_duplicates(plan.get("removals", []), api, check_mode, report)
    if check_mode:
        report["created"] = [_planned(item) for item in plan["creates"]]
        report["updated"] = [_completed(item, _planned(item)["virtual_chassis"]) for item in plan["completions"]]
        report["updated"] += [_updated(item) for item in plan["updates"]]
        for item in plan["creates"] + plan["completions"]:
            report["warnings"].extend((item.get("virtual_chassis") or {}).get("warnings", []))
        return report

    endpoints = {"device": api.dcim.devices, "vm": api.virtualization.virtual_machines}
    for items, outcomes in _write_by_kind(plan["creates"], "create", endpoints, write, progress):
        created = _sort_outcomes(items, outcomes, report)
        masters = [entry for entry in created if entry["item"].get("virtual_chassis")]
        if masters:
            _virtual_chassis(masters, api, write, report, progress)
        report["created"] += created
    _complete_stacks(plan["completions"], api, write, report, progress)
    for items, outcomes in _write_by_kind(plan["updates"], "update", endpoints, write, progress):
        for item, outcome in zip(items, outcomes):
            entry = _updated(item)
            if "error" in outcome:
                report["failures"].append(dict(entry, reason=outcome["error"]))
            else:
                report["updated"].append(entry)
    for entry in report["created"]:
        entry.pop("item", None)
    return report


def _write_by_kind(items: List[Dict[str, Any]], method: str, endpoints: Dict[str, Any], write: Writer,
                   progress) -> Iterator[Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]]:
    """(items, outcomes) of the devices, then of the VMs; progress counts both kinds in one phase."""
    phase = "write" if method == "create" else "update"
    written = 0
    for kind, endpoint in endpoints.items():
        chosen = [item for item in items if item["kind"] == kind]
        before = written

        def on_batch(done, _batch_total, before=before):
            progress(phase, before + done, len(items))

        yield chosen, write(endpoint, method, [item["payload"] for item in chosen], on_batch)
        written += len(chosen)
