# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the IP addresses of synced interfaces, their VRF, and the primary IP.

Input rows are normalised addresses (`_sources/librenms_ports.normalize_address`). NetBox enforces one host
per VRF whatever the mask (ENFORCE_GLOBAL_UNIQUE), so an existing address is found by host and VRF.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id


def host_of(address: Any) -> Optional[str]:
    """The host part of an address with or without a mask ("10.0.0.1/24" -> "10.0.0.1"), or None."""
    try:
        return str(ipaddress.ip_interface(str(address)).ip) if address else None
    except ValueError:
        return None


def resolve_vrf_map(vrf_map: Optional[Mapping[str, Any]], vrfs: List[Mapping[str, Any]]) -> Dict[str, int]:
    """{context_name: NetBox VRF id} from `vrf_map` (context -> VRF name or RD); an unknown VRF fails."""
    by_key: Dict[str, int] = {}
    for vrf in vrfs:
        by_key.setdefault(str(vrf.get("name")), vrf["id"])
        if vrf.get("rd"):
            by_key.setdefault(str(vrf["rd"]), vrf["id"])
    resolved = {}
    for context, wanted in (vrf_map or {}).items():
        if str(wanted) not in by_key:
            raise LibrenmsSyncError(f"vrf_map.{context}: NetBox has no VRF named (or with RD) {wanted!r}")
        resolved[str(context)] = by_key[str(wanted)]
    return resolved


def wanted_address(row: Mapping[str, Any], vrf_ids: Mapping[str, int], include_link_local: bool
                   ) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(address to sync {address, host, family, vrf}, None) or (None, why it is skipped)."""
    if row.get("link_local") and not include_link_local:
        return None, "IPv6 link-local (include_link_local is false)"
    host = host_of(row.get("address"))
    if host is None:
        return None, f"not an address: {row.get('address')!r}"
    return {"address": row["address"], "host": host, "family": row.get("family") or 4,
            "vrf": vrf_ids.get(row.get("context_name") or "")}, None


def address_key(host: str, vrf: Optional[int]) -> Tuple[str, Optional[int]]:
    return host, vrf


def index_existing(addresses: List[Mapping[str, Any]]) -> Dict[Tuple[str, Optional[int]], Dict[str, Any]]:
    """NetBox's addresses by (host, VRF id); the first of duplicates NetBox may hold wins."""
    index: Dict[Tuple[str, Optional[int]], Dict[str, Any]] = {}
    for record in addresses:
        host = host_of(record.get("address"))
        if host:
            index.setdefault(address_key(host, nested_id(record.get("vrf"))), dict(record))
    return index


def address_action(wanted: Mapping[str, Any], existing: Optional[Mapping[str, Any]], object_type: str,
                   interface_id: Optional[int], reassign: bool) -> Tuple[str, Dict[str, Any]]:
    """("create" | "update" | "unchanged" | "conflict", changes or reason) for one wanted address.

    An address on another object is a conflict unless `reassign`; one on no object is taken.
    """
    if existing is None:
        return "create", {}
    changes: Dict[str, Any] = {}
    assigned = (existing.get("assigned_object_type"), existing.get("assigned_object_id"))
    if assigned != (object_type, interface_id):
        if assigned[1] is not None and not reassign:
            return "conflict", {"reason": f"{wanted['host']} is already assigned to {assigned[0]} {assigned[1]} in "
                                          "this VRF (reassign_ips is false)"}
        changes.update(assigned_object_type={"before": assigned[0], "after": object_type},
                       assigned_object_id={"before": assigned[1], "after": interface_id})
    if existing.get("address") != wanted["address"]:
        changes["address"] = {"before": existing.get("address"), "after": wanted["address"]}
    return ("update", changes) if changes else ("unchanged", {})


def management_host(device: Mapping[str, Any]) -> Optional[str]:
    """The device's LibreNMS management address: `ip`, else its hostname when that is an address."""
    return host_of(device.get("ip")) or host_of(device.get("hostname"))


def primary_action(current_id: Optional[int], wanted_id: Any, update_primary_ip: bool) -> str:
    """"set", "unchanged", "update" or "drift" (a different primary a person set, kept)."""
    if current_id is None:
        return "set"
    if current_id == wanted_id:
        return "unchanged"
    return "update" if update_primary_ip else "drift"
