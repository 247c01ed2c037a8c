# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: which LibreNMS ports become NetBox interfaces, with which fields.

Input rows are normalised ports (`_sources/librenms_ports.normalize_port`). The fields written match what
netbox-librenms-plugin writes, so either tool recognises the other's interfaces.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int

CUSTOM_FIELD = "librenms_id"
# Fields exclude_fields may name. `type` excluded: created as `other`, never changed afterwards.
EXCLUDABLE_FIELDS = ("type", "speed", "mtu", "description", "enabled", "mac_address", "librenms_id")
PORT_STATES = ("deleted", "disabled", "ignored")
# Interfaces of these types take no cable (NetBox's own rule, netbox/dcim/constants.py).
UNCABLED_TYPES = frozenset(("virtual", "lag", "bridge"))

# ethernetCsmacd by speed (kbps): the highest threshold at or below the port's speed wins.
ETHERNET_BY_SPEED: Tuple[Tuple[int, str], ...] = (
    (100_000_000, "100gbase-x-qsfp28"), (40_000_000, "40gbase-x-qsfpp"), (25_000_000, "25gbase-x-sfp28"),
    (10_000_000, "10gbase-x-sfpp"), (0, "1000base-t"),
)
VIRTUAL_IF_TYPES = ("softwareLoopback", "propVirtual", "l2vlan", "tunnel")
BUILTIN_TYPE_MAP: Dict[str, Any] = {
    "ethernetCsmacd": dict((speed, kind) for speed, kind in ETHERNET_BY_SPEED),
    "ieee8023adLag": "lag",
    **{if_type: "virtual" for if_type in VIRTUAL_IF_TYPES},
}


def _by_speed(table: Mapping[Any, str], speed_kbps: Optional[int], option: str) -> Optional[str]:
    thresholds = []
    for key, kind in table.items():
        threshold = as_int(key)
        if threshold is None:
            raise LibrenmsSyncError(f"{option}: speed {key!r} is not a number of kbps")
        thresholds.append((threshold, kind))
    fitting = [pair for pair in sorted(thresholds, reverse=True) if pair[0] <= (speed_kbps or 0)]
    return fitting[0][1] if fitting else None


def interface_type(if_type: str, speed_kbps: Optional[int], type_map: Optional[Mapping[str, Any]] = None) -> str:
    """The NetBox type of a port: `interface_type_map` first, then the built-in table, else `other`.

    A map value is a type, or {speed_kbps: type} where the highest speed at or below the port's wins.
    """
    for table, option in ((type_map or {}, "interface_type_map"), (BUILTIN_TYPE_MAP, "built-in type table")):
        entry = table.get(if_type)
        if isinstance(entry, Mapping):
            entry = _by_speed(entry, speed_kbps, f"{option}.{if_type}")
        if entry:
            return str(entry)
    return "other"


def interface_name(port: Mapping[str, Any], name_field: str = "ifName") -> str:
    """ifName (default) or ifDescr, falling back to the other when empty."""
    other = "ifDescr" if name_field == "ifName" else "ifName"
    return (port.get(name_field) or port.get(other) or "").strip()[:64]


def compile_filter(interface_filter: Optional[Mapping[str, Any]]) -> Tuple[List[re.Pattern], List[re.Pattern]]:
    """(include, exclude) regexes of `interface_filter`; a bad one fails naming the option."""
    compiled: Dict[str, List[re.Pattern]] = {"include": [], "exclude": []}
    for key, patterns in compiled.items():
        values = (interface_filter or {}).get(key) or []
        for text in [values] if isinstance(values, str) else values:
            try:
                patterns.append(re.compile(str(text)))
            except re.error as exc:
                raise LibrenmsSyncError(f"interface_filter.{key}: {text!r} is not a regular expression ({exc})") \
                    from None
    return compiled["include"], compiled["exclude"]


def skip_reason(port: Mapping[str, Any], name: str, name_filter: Tuple[List[re.Pattern], List[re.Pattern]],
                skip_states: Iterable[str] = PORT_STATES) -> Optional[str]:
    """Why a port is not synced, or None when it is."""
    if not name:
        return "no name"
    for state in skip_states:
        if port.get(state):
            return f"{state} in LibreNMS"
    include, exclude = name_filter
    if include and not any(pattern.search(name) for pattern in include):
        return "not matched by interface_filter.include"
    if any(pattern.search(name) for pattern in exclude):
        return "matched by interface_filter.exclude"
    return None


def desired_fields(port: Mapping[str, Any], name: str, server_key: str, type_map: Optional[Mapping[str, Any]],
                   exclude: Iterable[str] = (), vm: bool = False) -> Dict[str, Any]:
    """The fields an interface gets from its port; excluded ones are left out (`type` falls back to other)."""
    excluded = set(exclude)
    description = (port.get("ifAlias") or "").strip()
    fields: Dict[str, Any] = {
        "name": name,
        "enabled": True if port.get("enabled") is None else bool(port["enabled"]),
        "mtu": port.get("mtu") if port.get("mtu") and 1 <= int(port["mtu"]) <= 65536 else None,
        "description": "" if description == name else description[:200],
        CUSTOM_FIELD: port["port_id"],
    }
    if not vm:
        fields["type"] = interface_type(port.get("ifType") or "", port.get("speed_kbps"), type_map)
        fields["speed"] = port.get("speed_kbps")
        if "type" in excluded:
            fields["type"] = "other"  # NetBox requires a type; an excluded one is never changed afterwards
    for field in excluded - {"type"}:
        fields.pop(field, None)
    return fields


def port_link(current_value: Any, server_key: str) -> Optional[int]:
    """The port id an interface's librenms_id holds for server_key (a bare int counts for the default key)."""
    if isinstance(current_value, Mapping):
        return as_int(current_value.get(server_key))
    return as_int(current_value) if server_key == "default" else None


def interface_port(record: Mapping[str, Any], server_key: str) -> Optional[int]:
    """The LibreNMS port id a NetBox interface record is linked to for server_key, or None."""
    return port_link((record.get("custom_fields") or {}).get("librenms_id"), server_key)


def _current(interface: Mapping[str, Any], field: str) -> Any:
    value = interface.get(field)
    if isinstance(value, Mapping) and "value" in value:
        return value["value"]
    return "" if field == "description" and value is None else value


def field_changes(desired: Mapping[str, Any], interface: Mapping[str, Any], server_key: str,
                  type_excluded: bool = False) -> Dict[str, Dict[str, Any]]:
    """{field: {before, after}} of what differs; librenms_id keeps the other servers' keys."""
    changes: Dict[str, Dict[str, Any]] = {}
    for field, after in desired.items():
        if field == CUSTOM_FIELD:
            current = (interface.get("custom_fields") or {}).get(CUSTOM_FIELD)
            if port_link(current, server_key) != after or not isinstance(current, Mapping):
                merged = dict(current) if isinstance(current, Mapping) else {}
                merged[server_key] = after
                changes[CUSTOM_FIELD] = {"before": current, "after": merged}
            continue
        if field == "type" and type_excluded:
            continue
        before = _current(interface, field)
        if before != after:
            changes[field] = {"before": before, "after": after}
    return changes


def create_payload(desired: Mapping[str, Any], server_key: str) -> Dict[str, Any]:
    """The POST body of a new interface (without its device), librenms_id as {server_key: port_id}."""
    payload = {key: value for key, value in desired.items() if key != CUSTOM_FIELD and value is not None}
    if CUSTOM_FIELD in desired:
        payload["custom_fields"] = {CUSTOM_FIELD: {server_key: desired[CUSTOM_FIELD]}}
    return payload


def update_payload(changes: Mapping[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """The PATCH body of field changes (without the id)."""
    payload = {field: change["after"] for field, change in changes.items() if field != CUSTOM_FIELD}
    if CUSTOM_FIELD in changes:
        payload["custom_fields"] = {CUSTOM_FIELD: changes[CUSTOM_FIELD]["after"]}
    return payload


def match_interface(port_id: int, name_key: Any, by_port: Mapping[int, Dict[str, Any]],
                    by_name: Mapping[Any, Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The existing interface of a port: by librenms_id first, then by (member, name) where it belongs."""
    return by_port.get(port_id) or by_name.get(name_key)
