# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: turns LibreNMS device and inventory rows into one canonical shape."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import (
    as_bool,
    as_float,
    as_int,
    as_text,
)

# LibreNMS returns these in clear text on both device endpoints (LibreNMS issue 16048).
SECRET_FIELDS = ("community", "authname", "authpass", "authalgo", "cryptopass", "cryptoalgo")

# "2024-09-26 15:50:18" from GET /devices, "2024-09-26T15:50:18.000000Z" from GET /devices/{id}.
_LIBRENMS_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _as_date(value: Any) -> Optional[str]:
    """One ISO 8601 shape for both endpoints; the zone suffix is kept only when LibreNMS gave one."""
    text = as_text(value)
    if text is None:
        return None
    found = _LIBRENMS_DATE.match(text)
    if not found or found.group(1).startswith("0000"):
        return None
    return f"{found.group(1)}T{found.group(2)}{found.group(3) or ''}"


def _pick(row: Dict[str, Any], *keys: str) -> Any:
    """The first key present, so canonical rows can be normalised again without loss."""
    for key in keys:
        if key in row:
            return row[key]
    return None


def _id_list(value: Any) -> List[int]:
    if isinstance(value, (list, tuple)):
        parts = list(value)
    elif isinstance(value, str):
        parts = value.split(",")
    else:
        parts = [value]
    ids: List[int] = []
    for part in parts:
        number = as_int(part)
        if number is not None and number > 0 and number not in ids:
            ids.append(number)
    return ids


def _location_fields(row: Dict[str, Any]) -> Dict[str, Any]:
    """LibreNMS 2026 releases return location as an object; older ones as the name."""
    location = row.get("location")
    nested: Dict[str, Any] = location if isinstance(location, dict) else {}
    name = as_text(nested.get("location")) if nested else as_text(location)
    location_id = as_int(row.get("location_id"))
    if location_id is None:
        location_id = as_int(nested.get("id"))
    lat = as_float(row.get("lat"))
    lng = as_float(row.get("lng"))
    if lat is None and lng is None:
        lat, lng = as_float(nested.get("lat")), as_float(nested.get("lng"))
    return {"location": name, "location_id": location_id, "lat": lat, "lng": lng}


def normalize_device(row: Any) -> Dict[str, Any]:
    """The canonical device: only the fields the importer reads, never a secret.

    Raises LibrenmsSyncError only when the row has no positive device_id.
    """
    if not isinstance(row, dict):
        raise LibrenmsSyncError("A LibreNMS device row is not an object", {"row_type": type(row).__name__})
    device_id = as_int(row.get("device_id"))
    hostname = as_text(row.get("hostname")) or ""
    if device_id is None or device_id <= 0:
        raise LibrenmsSyncError(
            f"A LibreNMS device row has no usable device_id (hostname: {hostname!r})",
            {"hostname": hostname},
        )
    device = {
        "device_id": device_id,
        "hostname": hostname,
        "sysname": as_text(_pick(row, "sysName", "sysname")),
        "display": as_text(row.get("display")),
        "ip": as_text(row.get("ip")),
        "hardware": as_text(row.get("hardware")),
        "os": as_text(row.get("os")),
        "version": as_text(row.get("version")),
        "serial": as_text(row.get("serial")),
        "features": as_text(row.get("features")),
        "type": as_text(row.get("type")) or "",
        "status": as_bool(row.get("status")),
        "status_reason": as_text(row.get("status_reason")),
        "ignore": as_bool(row.get("ignore")),
        "disabled": as_bool(row.get("disabled")),
        "sys_descr": as_text(_pick(row, "sysDescr", "sys_descr")),
        "purpose": as_text(row.get("purpose")),
        "notes": as_text(row.get("notes")),
        "uptime": as_int(row.get("uptime")),
        "last_polled": _as_date(row.get("last_polled")),
        "dependency_parent_ids": _id_list(_pick(row, "dependency_parent_id", "dependency_parent_ids")),
    }
    device.update(_location_fields(row))
    return device


def normalize_inventory_row(row: Any) -> Dict[str, Any]:
    """One ENTITY-MIB row with snake_case keys, ints where the tree needs them.

    ``class`` stays text: ``"0"`` is how Junos EVO says "unknown", so callers can tell it apart.
    """
    if not isinstance(row, dict):
        raise LibrenmsSyncError("A LibreNMS inventory row is not an object", {"row_type": type(row).__name__})
    physical_class = as_text(_pick(row, "entPhysicalClass", "class"))
    rel_pos = as_int(_pick(row, "entPhysicalParentRelPos", "parent_rel_pos"))
    is_fru = _pick(row, "entPhysicalIsFRU", "is_fru")
    if not isinstance(is_fru, bool):
        is_fru = None if as_text(is_fru) is None else as_bool(is_fru)
    return {
        "index": as_int(_pick(row, "entPhysicalIndex", "index")),
        "descr": as_text(_pick(row, "entPhysicalDescr", "descr")),
        "class": physical_class.lower() if physical_class else None,
        "name": as_text(_pick(row, "entPhysicalName", "name")),
        "model_name": as_text(_pick(row, "entPhysicalModelName", "model_name")),
        "serial": as_text(_pick(row, "entPhysicalSerialNum", "serial")),
        "contained_in": as_int(_pick(row, "entPhysicalContainedIn", "contained_in")),
        # ENTITY-MIB uses -1 for "position unknown".
        "parent_rel_pos": rel_pos if rel_pos is not None and rel_pos >= 0 else None,
        "vendor_type": as_text(_pick(row, "entPhysicalVendorType", "vendor_type")),
        "mfg_name": as_text(_pick(row, "entPhysicalMfgName", "mfg_name")),
        "is_fru": is_fru,
        "hardware_rev": as_text(_pick(row, "entPhysicalHardwareRev", "hardware_rev")),
        "firmware_rev": as_text(_pick(row, "entPhysicalFirmwareRev", "firmware_rev")),
        "software_rev": as_text(_pick(row, "entPhysicalSoftwareRev", "software_rev")),
        "alias": as_text(_pick(row, "entPhysicalAlias", "alias")),
        "asset_id": as_text(_pick(row, "entPhysicalAssetID", "asset_id")),
        "if_index": as_int(_pick(row, "ifIndex", "if_index")),
    }


def normalize_inventory(rows: Any) -> List[Dict[str, Any]]:
    """Every usable row of GET /inventory/{device}/all; non-object entries are skipped."""
    if not isinstance(rows, (list, tuple)):
        return []
    return [normalize_inventory_row(row) for row in rows if isinstance(row, dict)]
