# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: LibreNMS port, IP address and link rows in one canonical shape.

Pure functions on the raw rows of /ports, /resources/ip/addresses and /resources/links (and their per-device
forms). Each raises ValueError on a row it cannot use; the caller drops that row with a warning.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Dict, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import (
    as_bool,
    as_int,
    as_text,
)

# The `ports` columns a sync asks /ports for. LibreNMS checks each against its schema (400 "Invalid columns").
SYNC_PORT_COLUMNS: Tuple[str, ...] = (
    "port_id", "device_id", "ifName", "ifDescr", "ifAlias", "ifType", "ifSpeed", "ifMtu",
    "ifAdminStatus", "ifPhysAddress", "deleted", "disabled", "ignore",
)

_HEX_ONLY = re.compile(r"^[0-9a-f]{12}$")
_MAC_SEPARATORS = re.compile(r"[:.\-\s]")
# LibreNMS appends " (<mac>)" to an LLDP remote port it could not resolve (discovery-protocols.inc.php).
_UNRESOLVED_SUFFIX = re.compile(
    r"\s+\((?:[0-9A-Fa-f]{12}|(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4})\)$"
)
_ADMIN_STATES = {"up": True, "down": False}


def _required_id(row: Dict[str, Any], key: str, what: str) -> int:
    number = as_int(row.get(key))
    if number is None or number <= 0:
        raise ValueError(f"a LibreNMS {what} row has no usable {key} ({row.get(key)!r})")
    return number


def _optional_id(value: Any) -> Optional[int]:
    """LibreNMS writes 0 or null for "not known"; both mean None here."""
    number = as_int(value)
    return number if number is not None and number > 0 else None


def _text(value: Any) -> str:
    return as_text(value) or ""


def normalize_mac(value: Any) -> Optional[str]:
    """`84bf20853e00` (or any common separated form) as `84:BF:20:85:3E:00`; empty, zero or bad as None."""
    text = as_text(value)
    if text is None:
        return None
    digits = _MAC_SEPARATORS.sub("", text).lower()
    if not _HEX_ONLY.match(digits) or digits == "0" * 12:
        return None
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2)).upper()


def normalize_port(row: Any) -> Dict[str, Any]:
    """One `ports` row: speed in kbps, None for what LibreNMS does not know (ifSpeed 0, null status, no MAC)."""
    if not isinstance(row, dict):
        raise ValueError(f"a LibreNMS port row is not an object ({type(row).__name__})")
    speed = as_int(row.get("ifSpeed"))
    mtu = as_int(row.get("ifMtu"))
    admin = as_text(row.get("ifAdminStatus"))
    return {
        "port_id": _required_id(row, "port_id", "port"),
        "device_id": _required_id(row, "device_id", "port"),
        "ifName": _text(row.get("ifName")),
        "ifDescr": _text(row.get("ifDescr")),
        "ifAlias": _text(row.get("ifAlias")),
        "ifType": _text(row.get("ifType")),
        "speed_kbps": speed // 1000 if speed and speed > 0 else None,
        "mtu": mtu if mtu and mtu > 0 else None,
        "enabled": _ADMIN_STATES.get(admin.lower()) if admin else None,
        "mac": normalize_mac(row.get("ifPhysAddress")),
        "deleted": as_bool(row.get("deleted")),
        "disabled": as_bool(row.get("disabled")),
        "ignored": as_bool(row.get("ignore")),
    }


def normalize_address(row: Any) -> Dict[str, Any]:
    """One IPv4 or IPv6 row (their keys differ) as `address/prefixlen`, the IPv6 address compressed."""
    if not isinstance(row, dict):
        raise ValueError(f"a LibreNMS address row is not an object ({type(row).__name__})")
    port_id = _required_id(row, "port_id", "address")
    if as_text(row.get("ipv4_address")):
        family, host, prefix = 4, row["ipv4_address"], row.get("ipv4_prefixlen")
    else:
        family, prefix = 6, row.get("ipv6_prefixlen")
        host = as_text(row.get("ipv6_compressed")) or as_text(row.get("ipv6_address"))
        if host is None:
            raise ValueError(f"a LibreNMS address row on port {port_id} has neither ipv4_address nor ipv6_address")
    prefixlen = as_int(prefix)
    if prefixlen is None:
        raise ValueError(f"a LibreNMS address row on port {port_id} has no usable prefix length ({prefix!r})")
    try:
        interface = ipaddress.ip_interface(f"{str(host).strip().split('%', 1)[0]}/{prefixlen}")
    except ValueError:
        raise ValueError(f"a LibreNMS address row on port {port_id} holds a bad address {host!r}/{prefix!r}") from None
    if interface.version != family:
        raise ValueError(f"a LibreNMS IPv{family} row on port {port_id} holds {host!r}")
    link_local = family == 6 and (
        _text(row.get("ipv6_origin")).lower() == "linklayer" or interface.ip.is_link_local
    )
    return {
        "port_id": port_id,
        "address": str(interface),
        "family": family,
        "context_name": _text(row.get("context_name")),
        "link_local": link_local,
    }


def strip_unresolved_suffix(remote_port: Any) -> str:
    """`Gi1/0/3 (a0b1c2d3e4f5)` as `Gi1/0/3`: the far port's name without the MAC LibreNMS appended."""
    return _UNRESOLVED_SUFFIX.sub("", _text(remote_port))


def normalize_link(row: Any) -> Dict[str, Any]:
    """One `links` row; a neighbour LibreNMS does not know has remote_device_id (and maybe remote_port_id) None."""
    if not isinstance(row, dict):
        raise ValueError(f"a LibreNMS link row is not an object ({type(row).__name__})")
    return {
        "local_port_id": _required_id(row, "local_port_id", "link"),
        "local_device_id": _required_id(row, "local_device_id", "link"),
        "remote_device_id": _optional_id(row.get("remote_device_id")),
        "remote_port_id": _optional_id(row.get("remote_port_id")),
        "remote_port": strip_unresolved_suffix(row.get("remote_port")),
        "remote_hostname": _text(row.get("remote_hostname")),
        "protocol": _text(row.get("protocol")).lower(),
    }
