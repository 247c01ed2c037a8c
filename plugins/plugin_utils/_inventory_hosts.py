# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: how LibreNMS devices become Ansible hosts (no I/O, for the inventory plugin).

Inventory names and their de-duplication, host variables (never an SNMP secret), the raw names of the
``group_by`` groups, device group memberships, the NetBox variables of hosts already in NetBox, and the
marking of all that API data as unsafe.
"""

from __future__ import annotations

import difflib
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ansible.module_utils.compat.version import LooseVersion
from ansible.release import __version__ as ansible_core_version
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import resolve_name
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import DEFAULT_SERVER_KEY
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int, as_text
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    build_existing_index,
    find_existing,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import SECRET_FIELDS

HOSTVAR_PREFIX = "librenms_"
GROUP_BY_CHOICES = ("location", "os", "type", "hardware", "status", "device_groups")
DEFAULT_GROUP_BY = ("location", "os", "type")
# group_by key -> prefix of the group names it makes (os_ios, location_LON1, device_group_London, ...).
GROUP_PREFIXES = {
    "location": "location",
    "os": "os",
    "type": "type",
    "hardware": "hardware",
    "status": "status",
    "device_groups": "device_group",
}
# What one NetBox listing of devices must carry for matching (_rules/existing.py) and for the host variables.
NETBOX_DEVICE_FIELDS = "id,name,serial,url,display_url,site,primary_ip4,primary_ip6,custom_fields"

# From ansible-core 2.19 (data tagging), only text tagged as trusted is ever templated, and text parsed from an
# API answer carries no tag: it is unsafe as it comes. Before 2.19 every string is a template unless wrapped.
TEXT_IS_UNSAFE_UNLESS_TRUSTED = LooseVersion(ansible_core_version) >= LooseVersion("2.19")
_SECRETS = frozenset(SECRET_FIELDS)
_HOSTVAR_NAMES: Dict[str, str] = {}


def check_source_keys(given: Any, known: Iterable[str]) -> None:
    """Refuse a key the plugin has no option for: Ansible ignores it, so `filter:` would list every device."""
    known = sorted(known)
    unknown = sorted(str(key) for key in (given if isinstance(given, dict) else {}) if key not in known)
    if not unknown:
        return
    hints = []
    for key in unknown[:20]:
        close = difflib.get_close_matches(key, known, n=1)
        hints.append(f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key))
    more = f" and {len(unknown) - 20} more" if len(unknown) > 20 else ""
    raise LibrenmsSyncError(f"unknown key {', '.join(hints)}{more}; this plugin's options are: {', '.join(known)}")


def assign_hostnames(
    devices: Sequence[Dict[str, Any]], use_sysname: bool = True, strip_domain: bool = False
) -> Tuple[List[str], List[Tuple[str, List[int]]]]:
    """One inventory name per device (same order) and the names several devices wanted.

    A shared name stays with the lowest device id; every other device gets ``<name>_<device_id>``, so the
    result does not depend on the order LibreNMS lists devices in.
    """
    wanted = [resolve_name(device, use_sysname, strip_domain) for device in devices]
    owners: Dict[str, List[int]] = {}
    for device, name in zip(devices, wanted):
        owners.setdefault(name, []).append(device["device_id"])
    clashes = sorted((name, sorted(ids)) for name, ids in owners.items() if len(ids) > 1)
    if not clashes:
        return wanted, []
    keeper = {name: ids[0] for name, ids in clashes}
    taken = set(owners)
    by_id = {}
    for device, name in sorted(zip(devices, wanted), key=lambda pair: pair[0]["device_id"]):
        device_id = device["device_id"]
        final = name
        if keeper.get(name, device_id) != device_id:
            final = f"{name}_{device_id}"
            while final in taken:
                final = f"{final}_{device_id}"
            taken.add(final)
        by_id[device_id] = final
    return [by_id[device["device_id"]] for device in devices], clashes


def clash_warning(clashes: List[Tuple[str, List[int]]], names_by_id: Dict[int, str], limit: int = 5) -> str:
    """One warning for every shared name (the first ``limit`` spelled out)."""
    parts = []
    for name, ids in clashes[:limit]:
        renamed = ", ".join(f"{device_id} as {names_by_id.get(device_id)!r}" for device_id in ids[1:])
        parts.append(f"{name!r} (devices {', '.join(map(str, ids))}: {renamed})")
    more = f" and {len(clashes) - limit} more" if len(clashes) > limit else ""
    counted = "1 inventory name is" if len(clashes) == 1 else f"{len(clashes)} inventory names are"
    return (
        f"{counted} shared by several LibreNMS devices; the lowest device id keeps the name and the others "
        f"get '_<device_id>': {'; '.join(parts)}{more}"
    )


def ansible_host(device: Dict[str, Any]) -> Optional[str]:
    """The address to connect to: the IP LibreNMS polls when it has one, else its hostname."""
    return device.get("ip") or device.get("hostname") or None


def build_hostvars(
    device: Dict[str, Any],
    device_groups: Optional[Dict[int, List[str]]] = None,
    netbox: Optional[Dict[int, Dict[str, Any]]] = None,
) -> Dict[str, Any]:
    """Every field of the canonical device as ``librenms_<field>``, ``ansible_host`` and the NetBox variables.

    SNMP secrets are dropped here too, whatever the device dict holds. ``device_groups`` (when fetched)
    adds ``librenms_device_groups``; ``netbox`` adds ``netbox_*`` for hosts already in NetBox.
    """
    hostvars = {}
    for key, value in device.items():
        if key in _SECRETS:
            continue
        name = _HOSTVAR_NAMES.get(key)
        if name is None:
            name = _HOSTVAR_NAMES.setdefault(key, HOSTVAR_PREFIX + key)
        hostvars[name] = value
    address = ansible_host(device)
    if address:
        hostvars["ansible_host"] = address
    if device_groups is not None:
        hostvars[HOSTVAR_PREFIX + "device_groups"] = device_groups.get(device["device_id"], [])
    if netbox:
        found = netbox.get(device["device_id"])
        if found:
            hostvars.update(found)
    return hostvars


def group_names(
    device: Dict[str, Any], group_by: Iterable[str], device_groups: Optional[Dict[int, List[str]]] = None
) -> List[str]:
    """The raw names (``<prefix>_<value>``, not yet sanitised) of the groups ``group_by`` puts the device in."""
    names = []
    for key in group_by:
        prefix = GROUP_PREFIXES[key]
        if key == "status":
            names.append(f"{prefix}_{'up' if device.get('status') else 'down'}")
        elif key == "device_groups":
            names.extend(f"{prefix}_{group}" for group in (device_groups or {}).get(device["device_id"], ()))
        else:
            value = device.get(key)
            if value not in (None, ""):
                names.append(f"{prefix}_{value}")
    return names


def device_group_memberships(groups: Iterable[Tuple[str, Iterable[Any]]]) -> Dict[int, List[str]]:
    """device_id -> sorted names of its device groups, from (group name, member rows) pairs.

    Member rows are ``{"device_id": n}`` (ints or, on old servers, strings); rows without an id are skipped.
    """
    memberships: Dict[int, List[str]] = {}
    for name, members in groups:
        for row in members or ():
            device_id = as_int(row.get("device_id")) if isinstance(row, dict) else None
            if device_id is not None and name not in memberships.setdefault(device_id, []):
                memberships[device_id].append(name)
    return {device_id: sorted(names) for device_id, names in memberships.items()}


def _web_url(obj: Dict[str, Any]) -> Optional[str]:
    """The device's page in NetBox (``display_url``; derived from the API URL on NetBox releases without it)."""
    url = as_text(obj.get("display_url"))
    if url:
        return url
    api_url = as_text(obj.get("url"))
    return api_url.replace("/api/", "/", 1) if api_url else None


def netbox_hostvars(
    devices: Sequence[Dict[str, Any]],
    names: Sequence[str],
    netbox_devices: Iterable[Dict[str, Any]],
    server_key: str = DEFAULT_SERVER_KEY,
) -> Dict[int, Dict[str, Any]]:
    """device_id -> ``netbox_device_id``, ``netbox_url``, ``netbox_site`` for the devices NetBox already has.

    Matched as the import matches (librenms_id, then name, serial, primary IP); a match in conflict (see
    _existing.py) is not the same device, so it adds nothing.
    """
    netbox_devices = list(netbox_devices)
    index = build_existing_index(netbox_devices, [], server_key)
    by_id = {obj.get("id"): obj for obj in netbox_devices}
    found_vars: Dict[int, Dict[str, Any]] = {}
    for device, name in zip(devices, names):
        found = find_existing(device, name, index, server_key)
        if not found or found["conflict"] or found["kind"] != "device":
            continue
        obj = by_id.get(found["id"]) or {}
        site = obj.get("site")
        found_vars[device["device_id"]] = {
            "netbox_device_id": found["id"],
            "netbox_url": _web_url(obj),
            "netbox_site": as_text(site.get("name")) if isinstance(site, dict) else None,
        }
    return found_vars


def int_keys(mapping: Optional[Dict[Any, Any]]) -> Optional[Dict[int, Any]]:
    """A mapping keyed by device id again after a JSON round trip turned the ids into strings."""
    if mapping is None:
        return None
    return {as_int(key): value for key, value in mapping.items() if as_int(key) is not None}


def make_unsafe(value):
    """Mark API data unsafe, once per value structure: only text holding ``{`` or ``}`` can be a template.

    Lists are copied; a dict is updated in place. The callers own the dicts they pass (fresh host variables
    keyed by our own names), and with 10,000 hosts a copy of each costs more than the check itself. From
    ansible-core 2.19 API data is already unsafe, so there is nothing to walk.
    """
    if TEXT_IS_UNSAFE_UNLESS_TRUSTED:
        return value
    if isinstance(value, str):
        return wrap_var(value) if ("{" in value or "}" in value) else value
    if isinstance(value, dict):
        for key, item in value.items():
            if item.__class__ is str:
                if "{" in item or "}" in item:
                    value[key] = wrap_var(item)
            elif isinstance(item, (str, dict, list, tuple)):
                value[key] = make_unsafe(item)
        return value
    if isinstance(value, (list, tuple)):
        return [make_unsafe(item) for item in value]
    return value
