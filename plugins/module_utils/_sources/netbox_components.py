# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: NetBox reads and writes of a sync (interfaces, MACs, IPs, cables, VRFs).

Reads filter by many devices (or hosts) per request, CHUNK at a time, in pages of 1000: the request count grows
with the number of objects divided by the page size and by CHUNK, never with one request per device.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Sequence

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    CHANGELOG_MESSAGE,
    CUSTOM_FIELD_TYPES,
)

try:
    import pynetbox
    import requests
except ImportError:  # reported by netbox_reads.HAS_PYNETBOX
    pass

# Ids (or hosts) per filtered request: a URL of 100 ids stays far below every proxy's limit.
CHUNK = 100
DEVICE_FIELDS = "id,name,custom_fields,virtual_chassis,vc_position,primary_ip4,primary_ip6"
VM_FIELDS = "id,name,custom_fields,primary_ip4,primary_ip6"
INTERFACE_FIELDS = "id,name,device,type,enabled,mtu,speed,description,custom_fields,cable,mgmt_only," \
                   "primary_mac_address"
VM_INTERFACE_FIELDS = "id,name,virtual_machine,enabled,mtu,description,custom_fields,primary_mac_address"
MAC_FIELDS = "id,mac_address,assigned_object_type,assigned_object_id"
IP_FIELDS = "id,address,vrf,assigned_object_type,assigned_object_id"
# Where the sync writes librenms_id besides devices and VMs.
INTERFACE_FIELD_TYPES = ("dcim.interface", "virtualization.vminterface")


def _chunks(values: Iterable[Any]) -> List[List[Any]]:
    unique = sorted(set(values), key=str)
    return [unique[start:start + CHUNK] for start in range(0, len(unique), CHUNK)]


def list_for(netbox, app: str, endpoint: str, fields: str, key: str, values: Iterable[Any]) -> List[dict]:
    """Every object whose `key` is one of `values`, CHUNK values per filtered listing."""
    rows: List[dict] = []
    for chunk in _chunks(values):
        rows += netbox.list_all(app, endpoint, fields, **{key: chunk})
    return rows


def read_components(netbox, device_ids: Sequence[int], vm_ids: Sequence[int]) -> Dict[str, List[dict]]:
    """Interfaces, VM interfaces and their MACs of the given devices and VMs; every VRF."""
    macs = list_for(netbox, "dcim", "mac_addresses", MAC_FIELDS, "device_id", device_ids)
    macs += list_for(netbox, "dcim", "mac_addresses", MAC_FIELDS, "virtual_machine_id", vm_ids)
    return {
        "interfaces": list_for(netbox, "dcim", "interfaces", INTERFACE_FIELDS, "device_id", device_ids),
        "vm_interfaces": list_for(netbox, "virtualization", "interfaces", VM_INTERFACE_FIELDS,
                                  "virtual_machine_id", vm_ids),
        "mac_addresses": macs,
        "vrfs": netbox.list_all("ipam", "vrfs", "id,name,rd"),
    }


def macs_on(netbox, object_type: str, interface_ids: Sequence[int]) -> List[dict]:
    """The MAC objects on these interfaces now; [] when NetBox refuses the filter (an interface deleted meanwhile)."""
    key = "vminterface_id" if object_type == "virtualization.vminterface" else "interface_id"
    try:
        return list_for(netbox, "dcim", "mac_addresses", MAC_FIELDS, key, interface_ids)
    except LibrenmsSyncError:
        return []


def read_addresses(netbox, hosts: Sequence[str]) -> List[dict]:
    """NetBox's addresses with these hosts, any mask, any VRF, on any object: so a conflict is seen."""
    return list_for(netbox, "ipam", "ip_addresses", IP_FIELDS, "address", hosts)


def _error(exc: Exception) -> str:
    if isinstance(exc, pynetbox.RequestError):
        return f"NetBox refused it ({exc.req.status_code}): {str(exc.error)[:300]}"
    return f"NetBox could not be reached ({type(exc).__name__})"


def interface_field_missing(netbox) -> List[str]:
    """The interface object types the librenms_id custom field is not enabled for (all when it is absent)."""
    fields = netbox.list_all("extras", "custom_fields", "id,name,object_types", name="librenms_id")
    enabled = set(fields[0].get("object_types") or []) if fields else set()
    return [object_type for object_type in INTERFACE_FIELD_TYPES if object_type not in enabled]


def enable_interface_field(netbox) -> None:
    """Create librenms_id, or add the interface types to it, keeping the types it has."""
    fields = netbox.list_all("extras", "custom_fields", "id,name,object_types", name="librenms_id")
    try:
        if not fields:
            netbox.api.extras.custom_fields.create(
                name="librenms_id", label="LibreNMS ID", type="json",
                object_types=sorted(set(CUSTOM_FIELD_TYPES.values()) | set(INTERFACE_FIELD_TYPES)),
                description="LibreNMS id per server: {server_key: id}", changelog_message=CHANGELOG_MESSAGE)
            return
        types = sorted(set(fields[0].get("object_types") or []) | set(INTERFACE_FIELD_TYPES))
        netbox.api.extras.custom_fields.update([{"id": fields[0]["id"], "object_types": types,
                                                 "changelog_message": CHANGELOG_MESSAGE}])
    except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
        raise LibrenmsSyncError(f"NetBox {masked_url(netbox.url)}: cannot enable the librenms_id custom field on "
                                f"interfaces: {_error(exc)}") from None


def delete_in_batches(endpoint, ids: List[int], batch_size: int) -> List[Dict[str, Any]]:
    """One outcome per id ({} or {"error"}); a refused batch is retried id by id."""
    outcomes: List[Dict[str, Any]] = []
    for start in range(0, len(ids), max(1, batch_size)):
        batch = ids[start:start + batch_size]
        try:
            endpoint.delete(batch)
            outcomes += [{} for _id in batch]
            continue
        except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
            if len(batch) == 1:
                outcomes.append({"error": _error(exc)})
                continue
        for one in batch:
            try:
                endpoint.delete([one])
                outcomes.append({})
            except (pynetbox.RequestError, requests.exceptions.RequestException) as exc:
                outcomes.append({"error": _error(exc)})
    return outcomes
