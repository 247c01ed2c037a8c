# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what a sync reads before planning: the chosen NetBox devices and VMs, and the
LibreNMS ports, addresses, links and management addresses of their LibreNMS devices.

LibreNMS is read with the estate-wide endpoints (/ports, /resources/ip/addresses, /resources/links: three calls
whatever the number of devices) when more than ESTATE_WIDE_THRESHOLD devices are synced, and with the per-device
endpoints (three calls per device) otherwise; plus one device list for the management addresses.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.sync_targets import choose, linked
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import (
    SYNC_PORT_COLUMNS,
    normalize_address,
    normalize_link,
    normalize_port,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_components import (
    DEVICE_FIELDS,
    VM_FIELDS,
)

ESTATE_WIDE_THRESHOLD = 10


def _selection(params: Options) -> Tuple[Optional[List[Any]], bool]:
    """(the `devices` wanted or None, whether netbox_filters apply); exactly one way of choosing is given."""
    given = [name for name in ("devices", "netbox_filters", "all_devices") if params.get(name)]
    if len(given) != 1:
        raise LibrenmsSyncError("give exactly one of devices, netbox_filters, from_job or all_devices: true "
                                f"(given: {', '.join(given) or 'none'})")
    return (list(params["devices"]) if params.get("devices") else None), bool(params.get("netbox_filters"))


def netbox_targets(params: Options, netbox) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]], List[Dict]]:
    """(chosen targets, every linked device and VM, failures for `devices` entries not linked)."""
    wanted, filtered = _selection(params)
    devices = netbox.list_all("dcim", "devices", DEVICE_FIELDS)
    vms = netbox.list_all("virtualization", "virtual_machines", VM_FIELDS)
    every = linked(devices, vms, server_key_of(params))
    allowed = None
    if filtered:
        filters = dict(params["netbox_filters"])
        allowed = {"device": {row["id"] for row in netbox.list_all("dcim", "devices", "id", **filters)},
                   "vm": {row["id"] for row in netbox.list_all("virtualization", "virtual_machines", "id",
                                                               **filters)}}
    targets, failures = choose(every, wanted, allowed)
    return targets, every, failures


def _normalised(rows: List[Any], normalize, what: str, warnings: List[str]) -> List[Dict[str, Any]]:
    kept, dropped = [], []
    for row in rows:
        try:
            kept.append(normalize(row))
        except ValueError as exc:
            dropped.append(str(exc))
    if dropped:
        warnings.append(f"{len(dropped)} LibreNMS {what} row(s) dropped, first: {dropped[0]}")
    return kept


def _raw(librenms, ids: List[int]) -> Tuple[str, List[Any], List[Any], List[Any]]:
    if len(ids) > ESTATE_WIDE_THRESHOLD:
        return "estate", librenms.ports(SYNC_PORT_COLUMNS), librenms.ip_addresses(), librenms.links()
    ports: List[Any] = []
    addresses: List[Any] = []
    links: List[Any] = []
    for device_id in ids:
        ports += librenms.ports(SYNC_PORT_COLUMNS, device_id)
        addresses += librenms.ip_addresses(device_id)
        links += librenms.links(device_id)
    return "per_device", ports, addresses, links


def librenms_data(librenms, targets: List[Dict[str, Any]], every: List[Dict[str, Any]], progress=None
                  ) -> Dict[str, Any]:
    """Normalised ports by LibreNMS device, addresses, links and devices; the NetBox ids to read."""
    ids = sorted({target["librenms_id"] for target in targets})
    if progress:
        progress("read librenms", 0, len(ids))
    warnings: List[str] = []
    mode, ports, addresses, links = _raw(librenms, ids) if ids else ("none", [], [], [])
    if ids and not ports:
        warnings.append(f"LibreNMS lists no port for any of the {len(ids)} device(s): nothing to sync (a LibreNMS "
                        "older than the /ports endpoint answers 404, read as none)")
    wanted = set(ids)
    by_device: Dict[int, List[Dict[str, Any]]] = {}
    for port in _normalised(ports, normalize_port, "port", warnings):
        if port["device_id"] in wanted:
            by_device.setdefault(port["device_id"], []).append(port)
    links = [link for link in _normalised(links, normalize_link, "link", warnings) if link["local_device_id"] in wanted]
    devices = {row["device_id"]: row for row in librenms.list_devices()} if ids else {}
    remote = {link["remote_device_id"] for link in links}
    readers = list(targets) + [target for target in every if target["librenms_id"] in remote]
    device_ids = {t["id"] for t in readers if t["kind"] == "device"}
    device_ids |= {member["id"] for t in readers for member in t["members"].values()}
    return {
        "mode": mode, "ports": by_device, "links": links, "devices": devices, "warnings": warnings,
        "addresses": _normalised(addresses, normalize_address, "address", warnings),
        "read_ids": (sorted(device_ids), sorted(t["id"] for t in readers if t["kind"] == "vm")),
    }
