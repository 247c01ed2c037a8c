# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the NetBox name a LibreNMS device gets, and the names it is known by."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, FrozenSet, Optional, Tuple

# dcim.Device.name and virtualization.VirtualMachine.name are CharField(max_length=64).
NETBOX_NAME_MAX = 64


def fold(value: Any) -> str:
    """Lower-cased like NetBox's Lower() uniqueness constraints, so our "same name" is NetBox's."""
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip().lower()


def is_ip_address(text: str) -> bool:
    """True for an IPv4 or IPv6 literal (brackets and a zone index tolerated)."""
    candidate = text.strip().strip("[]").split("%", 1)[0]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def short_name(name: str) -> str:
    """The first DNS label; an IP address or a name starting with a dot is kept whole."""
    if is_ip_address(name):
        return name
    first_label = name.split(".", 1)[0]
    return first_label or name


def resolve_name(device: Dict[str, Any], use_sysname: bool = True, strip_domain: bool = False) -> str:
    """sysName else hostname (the other way round without use_sysname), else ``device-<id>``."""
    sysname = (device.get("sysname") or "").strip()
    hostname = (device.get("hostname") or "").strip()
    first, second = (sysname, hostname) if use_sysname else (hostname, sysname)
    name = first or second
    if not name:
        return f"device-{device.get('device_id')}"
    return short_name(name) if strip_domain else name


def check_name_length(name: str) -> Tuple[bool, Optional[str]]:
    """(True, None) when NetBox accepts the name, else (False, a shorter name to suggest)."""
    if len(name) <= NETBOX_NAME_MAX:
        return True, None
    stripped = short_name(name)
    if stripped != name and len(stripped) <= NETBOX_NAME_MAX:
        return False, stripped
    # A name ending in "." or "-" would look like a cut mistake (and "-" fails DNS-style checks).
    return False, name[:NETBOX_NAME_MAX].rstrip(".-")


def alias_names(device: Dict[str, Any]) -> FrozenSet[str]:
    """Every lower-cased name the device goes by: hostname, sysName and their first labels.

    Lower-cased with str.lower(), the same folding NetBox's Lower() uniqueness constraint uses.
    """
    names = set()
    for value in (device.get("hostname"), device.get("sysname")):
        text = (value or "").strip().lower()
        if text:
            names.add(text)
            names.add(short_name(text))
    return frozenset(names)
