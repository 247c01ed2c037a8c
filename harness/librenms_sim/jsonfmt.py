"""JSON the way Laravel writes it: json_encode(..., JSON_PRETTY_PRINT) for API answers, compact for errors.

PHP escapes "/" as "\\/" and non-ASCII as lower-case "\\u00fc", indents by 4 spaces and puts ": " after keys.
Rows of the big device list are encoded once into fragments and joined, which is what keeps 10,000 devices cheap.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _encode_str

_INDENT = "    "


def encode_scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _encode_str(value).replace("/", "\\/")
    raise TypeError(f"cannot encode {type(value).__name__}")


def pretty(value, level: int = 0) -> str:
    """PHP JSON_PRETTY_PRINT of value, as if it sat at nesting depth level."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = _INDENT * (level + 1)
        items = [f"{inner}{encode_scalar(str(k))}: {pretty(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + _INDENT * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = _INDENT * (level + 1)
        items = [inner + pretty(v, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + _INDENT * level + "]"
    return encode_scalar(value)


def row_fragment(row: dict) -> str:
    """One row of a success envelope's list, already indented (depth 2), ready to be joined."""
    return _INDENT * 2 + pretty(row, 2)


def success_from_fragments(key: str, fragments: list, count: int) -> str:
    """Equal to pretty({"status": "ok", key: rows, "count": count}) for the rows the fragments encode."""
    head = "{\n" + _INDENT + '"status": "ok",\n' + _INDENT + encode_scalar(key) + ": "
    tail = ",\n" + _INDENT + '"count": ' + str(count) + "\n}"
    if not fragments:
        return head + "[]" + tail
    return head + "[\n" + ",\n".join(fragments) + "\n" + _INDENT + "]" + tail


def compact(value) -> str:
    """Laravel's default json(): no pretty print, still PHP's escaping."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")
