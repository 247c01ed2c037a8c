"""list_devices' `type`/`query` table and its `order` rule, with MySQL's semantics where they show.

Collation utf8mb4_unicode_ci: case- and accent-insensitive, trailing spaces ignored by `=` (PAD SPACE) but not by
LIKE; `%` and `_` in a LIKE query are wildcards. An int column compared with a string converts the string to a
number ("5abc" = 5, "abc" = 0). NULL never equals anything; a NULL query in LIKE becomes "%%" (PHP interpolation),
which matches every non-NULL value.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from harness.librenms_sim.catalog import DEVICE_COLUMNS_FOLDED, NEW_TYPES

_ORDER_RE = re.compile(r"^([a-z_]+)(?: (desc|asc))?$", re.IGNORECASE)
_NUM_RE = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")

LIKE_TYPES = {"hostname": "hostname", "display": "display", "serial": "serial", "version": "version",
              "hardware": "hardware", "features": "features", "location": "location"}
EXACT_TYPES = {"os": "os", "sysName": "sysName", "type": "type"}
NUMERIC_TYPES = {"device_id": "device_id", "location_id": "location_id"}
JOIN_TYPES = ("mac", "ipv4", "ipv6")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold_pad(text: str) -> str:
    return fold(text).rstrip(" ")


def mysql_number(text: str) -> float:
    match = _NUM_RE.match(text)
    return float(match.group(1)) if match else 0.0


def like_regex(query) -> re.Pattern:
    text = fold("" if query is None else query)
    parts, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            parts.append(re.escape(text[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile(".*" + "".join(parts) + ".*", re.DOTALL)


def select(devices: list, type_, query, *, old_server: bool = False):  # noqa: PLR0911 - one per table row
    """Rows matching one type/query pair. Returns (rows, join) where join names the ports-joining type or None."""
    if not type_ or type_ == "all" or (old_server and type_ in NEW_TYPES):
        return list(devices), None
    if type_ == "active":
        return [d for d in devices if not d["ignore"] and not d["disabled"]], None
    if type_ == "ignored":
        return [d for d in devices if d["ignore"] and not d["disabled"]], None
    if type_ in ("up", "down"):
        want = 1 if type_ == "up" else 0
        return [d for d in devices if d["status"] == want and not d["ignore"] and not d["disabled"]], None
    if type_ == "disabled":
        return [d for d in devices if d["disabled"]], None
    if type_ in LIKE_TYPES:
        column, pattern = LIKE_TYPES[type_], like_regex(query)
        return [d for d in devices if d[column] is not None and pattern.fullmatch(fold(d[column]))], None
    if type_ in EXACT_TYPES:
        if query is None:
            return [], None
        column, wanted = EXACT_TYPES[type_], _fold_pad(query)
        return [d for d in devices if d[column] is not None and _fold_pad(d[column]) == wanted], None
    if type_ in NUMERIC_TYPES:
        if query is None:
            return [], None
        column, wanted = NUMERIC_TYPES[type_], mysql_number(query)
        return [d for d in devices if d[column] is not None and float(d[column]) == wanted], None
    if type_ in JOIN_TYPES:
        return [], type_
    return list(devices), None


def parse_order(order: str | None):
    """(column, descending) for the `order` parameter, or None when it names a column `devices` lacks."""
    if not order:
        return "hostname", False
    match = _ORDER_RE.match(order)
    if not match:
        return "hostname", False
    column = DEVICE_COLUMNS_FOLDED.get(match.group(1).lower())
    if column is None:
        return None
    return column, (match.group(2) or "asc").lower() == "desc"


def _sort_key(column: str):
    if column == "ip":
        def key(row):
            value = row["ip"]
            if not value:
                return (0, b"")
            try:
                return (1, ipaddress.ip_address(value).packed)
            except ValueError:
                return (1, value.encode())
        return key

    def key(row):
        value = row[column]
        if value is None:
            return (0, 0)
        if isinstance(value, str):
            return (1, _fold_pad(value))
        return (1, value)
    return key


def order_rows(rows: list, column: str, descending: bool) -> list:
    rows = sorted(rows, key=lambda r: (_fold_pad(r["hostname"]), r["device_id"]))
    if column != "hostname" or descending:
        rows.sort(key=_sort_key(column), reverse=descending)
    return rows
