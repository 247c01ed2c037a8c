# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the numeric options' limits, checked before anything is read, queued or written.

A value is never reinterpreted: 0 or a negative number is refused with a message naming the option, unless
0 has a meaning of its own (documented with the option):

- ``wait_timeout: 0`` looks at the job once and fails if it has not ended;
- ``background_threshold: 0`` sends every run of at least one device to the background (``background: auto``).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_float

# option -> (lowest value allowed, whether that lowest value is itself allowed, what the number counts)
LIMITS = {
    "timeout": (0, False, "seconds"),
    "poll_interval": (0, False, "seconds"),
    "job_timeout": (1, True, "seconds"),
    "result_ttl": (1, True, "seconds"),
    "cache_timeout": (1, True, "seconds"),
    "wait_timeout": (0, True, "seconds"),
    "background_threshold": (0, True, "devices"),
    "batch_size": (1, True, "objects"),
    "inventory_concurrency": (1, True, "requests"),
    "write_concurrency": (1, True, "requests"),
    "batch_jobs_threshold": (1, True, "devices"),
    "limit": (1, True, "jobs"),
}
INTEGER_OPTIONS = frozenset(("job_timeout", "result_ttl", "cache_timeout", "wait_timeout", "background_threshold",
                             "batch_size", "inventory_concurrency", "write_concurrency",
                             "batch_jobs_threshold", "limit"))


def limit_problem(name: str, value: Any) -> Optional[str]:
    """Why the value is refused for the option, or None when it is fine (None itself means unset: fine)."""
    if value is None or name not in LIMITS:
        return None
    lowest, inclusive, unit = LIMITS[name]
    number = as_float(value)
    shown = repr(value) if isinstance(value, str) else str(value)
    if number is None or (name in INTEGER_OPTIONS and not number.is_integer()):
        kind = "a whole number" if name in INTEGER_OPTIONS else "a number"
        return f"{name} must be {kind} of {unit}, got {shown}"
    if number < lowest or (number == lowest and not inclusive):
        bound = f"at least {lowest}" if inclusive else "greater than 0"
        return f"{name} must be {bound} ({unit}), got {shown}"
    return None


def check_limits(options: Mapping[str, Any], names: Optional[Tuple[str, ...]] = None) -> None:
    """Raise one LibrenmsSyncError naming every numeric option out of its limits (all of LIMITS, or `names`)."""
    problems: List[str] = []
    for name in names or tuple(LIMITS):
        problem = limit_problem(name, options.get(name))
        if problem:
            problems.append(problem)
    if problems:
        raise LibrenmsSyncError("; ".join(problems), {"problems": problems})
