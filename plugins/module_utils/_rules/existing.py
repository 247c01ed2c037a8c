# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: finding the NetBox device or VM a LibreNMS device already is, or collides with."""

from __future__ import annotations

import ipaddress
import json
from typing import Any, Dict, Iterable, List, Optional, Tuple, TypedDict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import (
    alias_names,
    fold,
    is_ip_address,
    short_name,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import DEFAULT_SERVER_KEY
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int, as_text, nested_id

# Serials some devices report when they have none: matching on them would tie unrelated devices.
_PLACEHOLDER_SERIALS = frozenset(("n/a", "na", "none", "null", "unknown", "0", "-", "unspecified", "not specified"))

_PRIMARY_IP_FIELDS = ("primary_ip", "primary_ip4", "primary_ip6")


class ExistingMatch(TypedDict):
    """The NetBox object a LibreNMS device already is; with a conflict, the one it collides with instead."""

    id: int
    name: str
    url: Optional[str]
    kind: str  # "device" or "vm"
    # "librenms_id", "legacy_id" (a bare id of an unknown server), "name" (the chosen name), "hostname",
    # "hostname without domain", "sysName", "sysName without domain", "serial" or "primary_ip"
    match: str
    conflict: Optional[str]  # why it is not the same device, or None


def _links(obj: Dict[str, Any]) -> Any:
    value = (obj.get("custom_fields") or {}).get("librenms_id")
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def legacy_librenms_id(obj: Dict[str, Any]) -> Optional[int]:
    """The bare integer librenms_id written before plugin 0.4.4, which does not say which server it belongs to."""
    value = _links(obj)
    return None if isinstance(value, (dict, bool)) else as_int(value)


def librenms_id_of(obj: Dict[str, Any], server_key: str) -> Optional[int]:
    value = _links(obj)
    if isinstance(value, dict):
        return as_int(value.get(server_key))
    # A bare id was written when only one server existed: the default one. Under another key it links nothing,
    # and find_existing reports it as a "legacy_id" match for a person to settle (or migrate_legacy_ids).
    return legacy_librenms_id(obj) if server_key == DEFAULT_SERVER_KEY else None


def _useful_serial(value: Any) -> str:
    serial = fold(value)
    return "" if serial in _PLACEHOLDER_SERIALS else serial


def _ip_host(address: Any) -> Optional[str]:
    text = as_text(address)
    try:
        return str(ipaddress.ip_interface(text).ip) if text else None
    except ValueError:
        return None


def _entry(kind: str, obj: Dict[str, Any], server_key: str) -> Dict[str, Any]:
    return {"id": obj.get("id"), "name": obj.get("name"), "url": obj.get("url"), "kind": kind,
            "serial": as_text(obj.get("serial")), "librenms_id": librenms_id_of(obj, server_key),
            "legacy_id": legacy_librenms_id(obj), "device_type": nested_id(obj.get("device_type")),
            "cluster": nested_id(obj.get("cluster")), "in_chassis": bool(obj.get("virtual_chassis"))}


def build_existing_index(devices: Iterable[Dict[str, Any]], vms: Iterable[Dict[str, Any]],
                         server_key: str) -> Dict[str, Any]:
    """Lookups over NetBox devices and VMs by this server's librenms_id, a legacy bare id, name, serial and primary
    IP host, and by (kind, NetBox id)."""
    index: Dict[str, Any] = {"librenms_id": {}, "legacy_id": {}, "name": {}, "serial": {}, "ip": {}, "by_ref": {}}
    for kind, objects in (("device", devices), ("vm", vms)):
        for obj in objects or ():
            entry = _entry(kind, obj, server_key)
            index["by_ref"][(kind, entry["id"])] = entry
            hosts = {_ip_host((obj.get(field) or {}).get("address")) for field in _PRIMARY_IP_FIELDS}
            keys = [("librenms_id", entry["librenms_id"]), ("name", fold(obj.get("name"))),
                    ("serial", _useful_serial(entry["serial"]))] + [("ip", host) for host in hosts]
            if entry["librenms_id"] is None:
                keys.append(("legacy_id", entry["legacy_id"]))
            for field, value in keys:
                if value not in (None, ""):
                    index[field].setdefault(value, []).append(entry)
    return index


def _disagreement(entry: Dict[str, Any], device: Dict[str, Any], server_key: str) -> Optional[str]:
    what = f"NetBox {'VM' if entry['kind'] == 'vm' else 'device'} {entry['name']!r}"
    if entry["librenms_id"] is not None and entry["librenms_id"] != device["device_id"]:
        return f"{what} is linked to LibreNMS device {entry['librenms_id']} of server {server_key!r}"
    ours, theirs = _useful_serial(device.get("serial")), _useful_serial(entry["serial"])
    if ours and theirs and ours != theirs:
        return f"{what} has serial {entry['serial']!r} but LibreNMS reports {device.get('serial')!r}"
    return None


def _result(entry: Dict[str, Any], match: str, conflict: Optional[str]) -> ExistingMatch:
    return {"id": entry["id"], "name": entry["name"], "url": entry["url"], "kind": entry["kind"],
            "match": match, "conflict": conflict}


def _first_agreeing(entries: List[Dict[str, Any]], match: str, device: Dict[str, Any], server_key: str,
                    prefix: str) -> Optional[Dict[str, Any]]:
    reasons = [_disagreement(entry, device, server_key) for entry in entries]
    for entry, reason in zip(entries, reasons):
        if reason is None:
            return _result(entry, match, None)
    return _result(entries[0], match, f"{prefix}{reasons[0]}") if entries else None


def name_candidates(device: Dict[str, Any], name: str) -> List[Tuple[str, str]]:
    """(label, name) of every name the device may have been imported under, the chosen name first, each once.

    Another run may have named it by hostname or sysName, with or without the domain (use_sysname, strip_domain):
    those must find it too, or a second device is created.
    """
    candidates = [("name", name)]
    for label, field in (("hostname", "hostname"), ("sysName", "sysname")):
        text = (device.get(field) or "").strip()
        if text:
            candidates += [(label, text), (f"{label} without domain", short_name(text))]
    seen, unique = set(), []
    for label, value in candidates:
        if fold(value) and fold(value) not in seen:
            seen.add(fold(value))
            unique.append((label, value))
    return unique


def _by_name(device: Dict[str, Any], name: str, index: Dict[str, Any], server_key: str,
             chosen: bool) -> Optional[Dict[str, Any]]:
    """The chosen name's match (chosen=True), else the first of the device's other names a NetBox object holds."""
    candidates = name_candidates(device, name)
    for label, value in candidates[:1] if chosen else candidates[1:]:
        same_name = index["name"].get(fold(value), [])
        found = _first_agreeing(same_name, label, device, server_key, f"{label} {value!r} is taken: ")
        if found:
            return found
    return None


def _by_link(device: Dict[str, Any], index: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The object linked by this server's librenms_id (a conflict when several are), else by a legacy bare id."""
    linked = index["librenms_id"].get(device["device_id"], [])
    if linked:
        names = ", ".join(repr(entry["name"]) for entry in linked)
        twice = f"librenms_id {device['device_id']} is set on {len(linked)} NetBox objects: {names}"
        return _result(linked[0], "librenms_id", twice if len(linked) > 1 else None)
    legacy = index["legacy_id"].get(device["device_id"], [])
    return _result(legacy[0], "legacy_id", None) if legacy else None


def _by_serial(device: Dict[str, Any], name: str, index: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The object with the device's serial and one of its names; another object with it is a conflict."""
    serial = _useful_serial(device.get("serial"))
    same_serial = index["serial"].get(serial, []) if serial else []
    aliases = alias_names(device) | {fold(name)}
    for entry in same_serial:
        linked_elsewhere = entry["librenms_id"] is not None and entry["librenms_id"] != device["device_id"]
        if fold(entry["name"]) in aliases and not linked_elsewhere:
            return _result(entry, "serial", None)
    if same_serial:
        entry = same_serial[0]
        kind = "VM" if entry["kind"] == "vm" else "device"
        taken = f"serial {device.get('serial')} already belongs to NetBox {kind} {entry['name']!r}"
        return _result(entry, "serial", taken)
    return None


def find_existing(device: Dict[str, Any], name: str, index: Dict[str, Any],
                  server_key: str) -> Optional[Dict[str, Any]]:
    """The NetBox object this device already is, or collides with ("conflict" says why); first match wins.

    Order: this server's librenms_id, a legacy bare librenms_id (match "legacy_id": which server is unknown), the
    chosen name, the serial (on an object named like the device), the device's other names (hostname, sysName,
    each with and without the domain: match names which one), the primary IP.
    """
    found = (_by_link(device, index) or _by_name(device, name, index, server_key, chosen=True)
             or _by_serial(device, name, index) or _by_name(device, name, index, server_key, chosen=False))
    if found:
        return found
    hostname = device.get("hostname") or ""
    host = _ip_host(device.get("ip")) or (_ip_host(hostname) if is_ip_address(hostname) else None)
    same_ip = index["ip"].get(host, []) if host else []
    return _first_agreeing(same_ip, "primary_ip", device, server_key, f"primary IP {host} is taken: ")


def drift_warnings(device: Dict[str, Any], name: str, existing: ExistingMatch, known: Optional[Dict[str, Any]],
                   device_type: Optional[Dict[str, Any]], reference: Dict[str, Any], server_key: str) -> List[str]:
    """What changed since a linked NetBox object was imported, as netbox-librenms-plugin warns of it.

    known is the index entry of the object; device_type the NetBox type LibreNMS' hardware matches now.
    """
    if not known or existing["match"] not in ("librenms_id", "legacy_id"):
        return []
    what = f"NetBox {'VM' if known['kind'] == 'vm' else 'device'} {known['name']!r}"
    warnings = []
    ours, theirs = _useful_serial(device.get("serial")), _useful_serial(known["serial"])
    if ours and theirs and ours != theirs:
        warnings.append(f"serial changed: {what} has {known['serial']!r}, LibreNMS now reports "
                        f"{device.get('serial')!r}; the hardware may have been replaced")
    if fold(known["name"]) != fold(name) and not known["in_chassis"]:
        warnings.append(f"name differs: {what} would be named {name!r} now")
    if device_type and known["device_type"] and known["device_type"] != device_type["id"]:
        theirs_type = reference["device_types"]["by_id"].get(known["device_type"], {}).get("model")
        warnings.append(f"device type differs: {what} is a {theirs_type or known['device_type']!r}, LibreNMS "
                        f"hardware {device.get('hardware')!r} matches {device_type['name']!r}")
    if known["legacy_id"] is not None:
        legacy = known["legacy_id"]
        warnings.append(f"legacy id to migrate: {what} holds the bare librenms_id {legacy}; "
                        f"migrate_legacy_ids: true on the import rewrites it as {{{server_key!r}: {legacy}}}")
    return warnings


def may_be_unfinished_chassis(state: Dict[str, Any], current: Dict[str, Any], chassis_size: int = 0) -> bool:
    """Whether an existing device may be the master of a stack whose chassis a past run did not complete.

    An import renames a stack's master (``<name>-M<position>``) before it creates the chassis, makes it join, then
    creates the members. If NetBox failed in between, the master stands alone under another name than the
    LibreNMS device's, outside any chassis or as the only device of its chassis (``chassis_size`` 1). Only such
    devices are worth an inventory call on a re-run.
    """
    existing = state.get("existing") or {}
    renamed = (state["status"] == "exists" and existing.get("kind") == "device" and state["import_as"] == "device"
               and bool(current.get("name")) and fold(current["name"]) != fold(state["name"]))
    return renamed and (not current.get("virtual_chassis") or chassis_size == 1)


def chassis_sizes(devices: Iterable[Dict[str, Any]]) -> Dict[int, int]:
    """Virtual chassis id -> how many of the listed devices are in it."""
    sizes: Dict[int, int] = {}
    for device in devices:
        vc_id = nested_id(device.get("virtual_chassis"))
        if vc_id is not None:
            sizes[vc_id] = sizes.get(vc_id, 0) + 1
    return sizes
