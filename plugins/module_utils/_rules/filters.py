# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: device search filters, what each one means and how it reaches the API."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int

FILTER_KEYS = ("location", "location_id", "type", "os", "hostname", "sysname", "hardware")

# Each filter has one meaning, whichever side applies it: (device field, how it compares).
_MEANINGS = {
    "location": ("location", "exact_nocase"),
    "location_id": ("location_id", "equal_int"),
    "type": ("type", "equal"),
    "os": ("os", "exact_nocase"),
    "hostname": ("hostname", "substring_nocase"),
    "sysname": ("sysname", "exact_nocase"),
    "hardware": ("hardware", "substring_nocase"),
}

# Most selective first. Exact server-side types come before the LIKE '%q%' ones, and "location"
# is last but one because the server matches it as a substring while we mean the exact name.
# The right-hand side is the list_devices `type` value (note the spelling of sysName).
_API_PREFERENCE = (
    ("sysname", "sysName"),
    ("location_id", "location_id"),
    ("os", "os"),
    ("type", "type"),
    ("hostname", "hostname"),
    ("location", "location"),
    ("hardware", "hardware"),
)


def given_filters(filters: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Ansible fills every documented filter key with None; only the given ones are filters."""
    return {key: value for key, value in (filters or {}).items() if value is not None}


def _clean_value(key: str, value: Any) -> Any:
    if isinstance(value, (dict, list, tuple, set)):
        raise LibrenmsSyncError(
            f"Search filter {key!r} must be a single value, not {type(value).__name__}",
            {"filter": key},
        )
    if key == "location_id":
        number = as_int(value)
        if number is None or number <= 0:
            raise LibrenmsSyncError(
                f"Search filter 'location_id' must be a positive integer (a LibreNMS location id), got {value!r}",
                {"filter": key},
            )
        return number
    text = "" if isinstance(value, bool) else str(value).strip()
    if not text:
        raise LibrenmsSyncError(f"Search filter {key!r} has an empty value", {"filter": key})
    return text


def validate_search(filters: Optional[Dict[str, Any]], all_devices: bool) -> Dict[str, Any]:
    """The filters cleaned (None values dropped, text stripped, location_id an int).

    Raises LibrenmsSyncError for an unknown key, an empty value, a non-integer location_id,
    no filter without all_devices, or filters together with all_devices.
    """
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise LibrenmsSyncError("The search filters must be a mapping of filter name to value")
    unknown = sorted(str(key) for key in filters if key not in FILTER_KEYS)
    if unknown:
        raise LibrenmsSyncError(
            f"Unknown search filter {', '.join(map(repr, unknown))}; valid filters are: {', '.join(FILTER_KEYS)}",
            {"unknown": unknown, "valid": list(FILTER_KEYS)},
        )
    # Ansible fills unset suboptions with None: those were not given.
    clean = {key: _clean_value(key, value) for key, value in filters.items() if value is not None}
    if clean and all_devices:
        raise LibrenmsSyncError(
            f"Give either search filters ({', '.join(sorted(clean))}) or all_devices: true, not both"
        )
    if not clean and not all_devices:
        raise LibrenmsSyncError(f"Give at least one search filter ({', '.join(FILTER_KEYS)}) or set all_devices: true")
    return clean


def choose_api_query(filters: Optional[Dict[str, Any]]) -> Tuple[Optional[str], Optional[str]]:
    """The one (type, query) pair to send to GET /devices, or (None, None) to list every device.

    LibreNMS applies a single type per request, so the rest are applied locally by select_devices.
    """
    for key, api_type in _API_PREFERENCE:
        value = (filters or {}).get(key)
        if value is not None and value != "":
            return api_type, str(value)
    return None, None


def _compare(how: str, wanted: Any, actual: Any) -> bool:
    if actual is None:
        return False
    if how == "equal_int":
        return as_int(actual) == as_int(wanted)
    if how == "equal":
        return actual == wanted
    if how == "exact_nocase":
        return str(actual).lower() == str(wanted).lower()
    return str(wanted).lower() in str(actual).lower()


def device_matches(device: Dict[str, Any], filters: Optional[Dict[str, Any]]) -> bool:
    """True when the canonical device passes every given filter (they are AND-ed)."""
    for key, value in (filters or {}).items():
        if value is None:
            continue
        field, how = _MEANINGS[key]
        if not _compare(how, value, device.get(field)):
            return False
    return True


def select_devices(
    devices: Iterable[Dict[str, Any]],
    filters: Optional[Dict[str, Any]],
    show_disabled: bool = False,
    show_ignored: bool = False,
) -> List[Dict[str, Any]]:
    """Canonical devices kept in their order when every filter matches.

    Re-applying the filter sent to the API too means an old server that ignored an unknown
    ``type`` (and so answered with every device) changes nothing.
    """
    selected = []
    for device in devices:
        if device.get("disabled") and not show_disabled:
            continue
        if device.get("ignore") and not show_ignored:
            continue
        if device_matches(device, filters):
            selected.append(device)
    return selected
