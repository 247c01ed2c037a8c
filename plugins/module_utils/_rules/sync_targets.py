# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the NetBox devices and VMs a sync works on, and the members of their stacks.

A device or VM is linked to LibreNMS through its `librenms_id` custom field ({server_key: id}, or a legacy bare
int for the default server). A stack is one LibreNMS device: the member holding librenms_id (the master) speaks
for the virtual chassis, whose other members carry the interfaces their position names.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import librenms_id_of


def linked(devices: List[Mapping[str, Any]], vms: List[Mapping[str, Any]], server_key: str) -> List[Dict[str, Any]]:
    """Every linked device and VM as a target {kind, id, name, librenms_id, record, members}."""
    chassis: Dict[int, Dict[int, Mapping[str, Any]]] = {}
    for device in devices:
        vc_id = nested_id(device.get("virtual_chassis"))
        if vc_id is not None and device.get("vc_position") is not None:
            chassis.setdefault(vc_id, {})[int(device["vc_position"])] = device
    targets = []
    for kind, records in (("device", devices), ("vm", vms)):
        for record in records:
            librenms_id = librenms_id_of(dict(record), server_key)
            if librenms_id is None:
                continue
            vc_id = nested_id(record.get("virtual_chassis")) if kind == "device" else None
            members = dict(chassis.get(vc_id) or {}) if vc_id is not None else {}
            targets.append({"kind": kind, "id": record["id"], "name": record.get("name") or str(record["id"]),
                            "librenms_id": librenms_id, "record": dict(record), "members": members})
    return targets


def choose(targets: List[Dict[str, Any]], wanted: Optional[Iterable[Any]], allowed_ids: Optional[Dict[str, set]]
           ) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """(targets chosen, failures): `wanted` NetBox names or LibreNMS ids (None: every target), `allowed_ids`
    {"device": ids, "vm": ids} that netbox_filters left (None: no filter)."""
    if allowed_ids is not None:
        targets = [t for t in targets if t["id"] in allowed_ids.get(t["kind"], set())]
    if wanted is None:
        return targets, []
    by_name = {t["name"].lower(): t for t in targets}
    by_librenms = {t["librenms_id"]: t for t in targets}
    chosen: Dict[Tuple[str, int], Dict[str, Any]] = {}
    failures = []
    for entry in wanted:
        text = str(entry).strip()
        target = by_librenms.get(int(text)) if text.isdigit() else by_name.get(text.lower())
        if target is None:
            failures.append({"device": text, "kind": "device", "object": text,
                             "error": "no NetBox device or VM with this name or LibreNMS id is linked to this server"})
        else:
            chosen[(target["kind"], target["id"])] = target
    return list(chosen.values()), failures
