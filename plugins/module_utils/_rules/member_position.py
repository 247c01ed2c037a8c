# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: which virtual-chassis member an interface of a stack belongs on.

LibreNMS polls a stack as one device, so every member's ports arrive under the master. The member is read
from the interface name, numbered as the import numbers members (`_rules/virtual_chassis.py`: 1-based
positions, a 0-based set shifted by one): Cisco `Gi2/0/1` is switch 2, position 2; Juniper `xe-1/0/0` is FPC 1,
and FPCs count from 0, so position 2.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError

# Tried in order; the first whose pattern matches decides. `offset` is added to the captured number.
DEFAULT_MEMBER_RULES: List[Dict[str, Any]] = [
    # Juniper: <type>-<fpc>/<pic>/<port>, FPC numbers start at 0.
    {"pattern": r"^(?:ge|xe|et|mge|fe|gr|lt)-(\d+)/\d+/\d+", "offset": 1},
    # Cisco, Aruba and most stacks: <type><switch>/<module>/<port>, switch numbers start at 1.
    {"pattern": r"^[A-Za-z-]*?(\d+)/\d+/\d+", "offset": 0},
]


def compile_member_rules(rules: Optional[Sequence[Mapping[str, Any]]]) -> List[Dict[str, Any]]:
    """The rules of `member_position_rules` (or the defaults) with compiled patterns; a bad one fails."""
    compiled = []
    for index, rule in enumerate(DEFAULT_MEMBER_RULES if rules is None else rules):
        where = f"member_position_rules[{index}]"
        try:
            pattern = re.compile(str(rule["pattern"]))
        except (KeyError, TypeError):
            raise LibrenmsSyncError(f"{where}: needs a pattern") from None
        except re.error as exc:
            raise LibrenmsSyncError(f"{where}: pattern {rule['pattern']!r} is not a regular expression ({exc})") \
                from None
        if pattern.groups < 1:
            raise LibrenmsSyncError(f"{where}: pattern {rule['pattern']!r} must capture the member number")
        try:
            offset = int(rule.get("offset") or 0)
        except (TypeError, ValueError):
            raise LibrenmsSyncError(f"{where}: offset {rule.get('offset')!r} is not a whole number") from None
        compiled.append({"pattern": pattern, "offset": offset})
    return compiled


def member_position(name: str, rules: Sequence[Mapping[str, Any]]) -> Optional[int]:
    """The member position an interface name names, or None (the interface stays on the master)."""
    for rule in rules:
        found = rule["pattern"].search(name)
        if found:
            return int(found.group(1)) + rule["offset"]
    return None


def member_for(name: str, rules: Sequence[Mapping[str, Any]], members_by_position: Mapping[int, Any],
               master: Any) -> Any:
    """The member device an interface goes on: by position when the chassis has it, else the master."""
    position = member_position(name, rules)
    return members_by_position.get(position, master) if position is not None else master
