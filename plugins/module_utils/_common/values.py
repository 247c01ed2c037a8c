# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: reading ints, flags and text out of loosely typed API values."""

from __future__ import annotations

import math
import re
from typing import Any, Optional

_TRUE_WORDS = frozenset(("1", "true", "yes", "on"))
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")


def as_int(value: Any) -> Optional[int]:
    """An int from an int, an integral float or a decimal string; None for anything else."""
    if value.__class__ is int:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str) and _INTEGER_TEXT.match(value.strip()):
        return int(value.strip())
    return None


def as_bool(value: Any) -> bool:
    """LibreNMS flags arrive as bools, 0/1 or "0"/"1"/"true"; anything unknown reads as off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    return False


def as_text(value: Any) -> Optional[str]:
    """A stripped string, or None for null, empty text and non-scalar garbage."""
    if value.__class__ is str:  # the common case first: this runs for every field of every device
        return value.strip() or None
    if value is None or isinstance(value, (dict, list, tuple, set, bool)):
        return None
    text = str(value).strip()
    return text or None


def as_float(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def nested_id(value: Any) -> Optional[int]:
    """The id of a nested NetBox object as the API lists it ({"id": 3, ...}), or of a bare id."""
    return as_int(value.get("id")) if isinstance(value, dict) else as_int(value)
