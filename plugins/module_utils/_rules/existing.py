# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: finding the NetBox device or VM a LibreNMS device already is, or collides with."""

from __future__ import annotations

import ipaddress
import json
from typing import Any, Dict, Iterable, List, Optional, TypedDict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import (
    alias_names,
    fold,
    is_ip_address,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import DEFAULT_SERVER_KEY
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int, as_text

# Serials some devices report when they have none: matching on them would tie unrelated devices.
_PLACEHOLDER_SERIALS = frozenset(("n/a", "na", "none", "null", "unknown", "0", "-", "unspecified", "not specified"))

_PRIMARY_IP_FIELDS = ("primary_ip", "primary_ip4", "primary_ip6")


class ExistingMatch(TypedDict):
    """The NetBox object a LibreNMS device already is; with a conflict, the one it collides with instead."""

    id: int
    name: str
    url: Optional[str]
    kind: str  # "device" or "vm"
    match: str  # "librenms_id", "name", "serial" or "primary_ip"
    conflict: Optional[str]  # why it is not the same device, or None


def librenms_id_of(obj: Dict[str, Any], server_key: str) -> Optional[int]:
    value = (obj.get("custom_fields") or {}).get("librenms_id")
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict):
        return as_int(value.get(server_key))
    # Before plugin 0.4.4 the field held a bare id, written when only one server existed.
    return as_int(value) if server_key == DEFAULT_SERVER_KEY else None


def _useful_serial(value: Any) -> str:
    serial = fold(value)
    return "" if serial in _PLACEHOLDER_SERIALS else serial


def _ip_host(address: Any) -> Optional[str]:
    text = as_text(address)
    try:
        return str(ipaddress.ip_interface(text).ip) if text else None
    except ValueError:
        return None


def build_existing_index(devices: Iterable[Dict[str, Any]], vms: Iterable[Dict[str, Any]],
                         server_key: str) -> Dict[str, Any]:
    """Lookups over NetBox devices and VMs by this server's librenms_id, name, serial and primary IP host."""
    index: Dict[str, Dict[Any, List[Dict[str, Any]]]] = {"librenms_id": {}, "name": {}, "serial": {}, "ip": {}}
    for kind, objects in (("device", devices), ("vm", vms)):
        for obj in objects or ():
            entry = {"id": obj.get("id"), "name": obj.get("name"), "url": obj.get("url"), "kind": kind,
                     "serial": as_text(obj.get("serial")), "librenms_id": librenms_id_of(obj, server_key)}
            hosts = {_ip_host((obj.get(field) or {}).get("address")) for field in _PRIMARY_IP_FIELDS}
            keys = [("librenms_id", entry["librenms_id"]), ("name", fold(obj.get("name"))),
                    ("serial", _useful_serial(entry["serial"]))] + [("ip", host) for host in hosts]
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


def find_existing(device: Dict[str, Any], name: str, index: Dict[str, Any],
                  server_key: str) -> Optional[Dict[str, Any]]:
    """The NetBox object this device already is, or collides with ("conflict" says why); first match wins."""
    linked = index["librenms_id"].get(device["device_id"], [])
    if linked:
        names = ", ".join(repr(entry["name"]) for entry in linked)
        twice = f"librenms_id {device['device_id']} is set on {len(linked)} NetBox objects: {names}"
        return _result(linked[0], "librenms_id", twice if len(linked) > 1 else None)
    same_name = index["name"].get(fold(name), [])
    by_name = _first_agreeing(same_name, "name", device, server_key, f"name {name!r} is taken: ")
    if by_name:
        return by_name
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
    hostname = device.get("hostname") or ""
    host = _ip_host(device.get("ip")) or (_ip_host(hostname) if is_ip_address(hostname) else None)
    same_ip = index["ip"].get(host, []) if host else []
    return _first_agreeing(same_ip, "primary_ip", device, server_key, f"primary IP {host} is taken: ")


def may_be_unfinished_chassis(state: Dict[str, Any], current: Dict[str, Any]) -> bool:
    """Whether an existing device may be the master of a stack whose chassis a past run did not complete.

    An import renames a stack's master (``<name>-M<position>``) before it creates the chassis; if NetBox failed in
    between, the master stands alone under another name than the LibreNMS device's. Only such devices are worth an
    inventory call on a re-run.
    """
    existing = state.get("existing") or {}
    return (state["status"] == "exists" and existing.get("kind") == "device" and state["import_as"] == "device"
            and not current.get("virtual_chassis") and bool(current.get("name"))
            and fold(current["name"]) != fold(state["name"]))
