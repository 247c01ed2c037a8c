# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: cables from LibreNMS links, each link's two directions made one.

Input rows are normalised links (`_sources/librenms_ports.normalize_link`). An end is an interface key the
caller resolves (an existing interface or one this run creates). A cable is only ever added between two free
ends: an end cabled elsewhere is reported, never rewired.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, FrozenSet, Hashable, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.interfaces import UNCABLED_TYPES

End = Hashable
Resolver = Callable[[Mapping[str, Any]], Tuple[Optional[End], Optional[End], Optional[str]]]


def unique_links(links: List[Mapping[str, Any]], resolve: Resolver
                 ) -> Tuple[Dict[FrozenSet[End], Tuple[End, End]], List[Dict[str, Any]]]:
    """({pair: (a, b)} one per cable, [unresolved link with its reason]).

    `resolve(link)` gives (local end, remote end, None) or (.., .., why not).
    """
    pairs: Dict[FrozenSet[End], Tuple[End, End]] = {}
    unresolved = []
    for link in links:
        local, remote, reason = resolve(link)
        if reason:
            unresolved.append({"link": dict(link), "reason": reason})
            continue
        if local == remote:
            continue
        pairs.setdefault(frozenset((local, remote)), (local, remote))
    return pairs, unresolved


def cable_action(a_end: Mapping[str, Any], b_end: Mapping[str, Any]) -> Tuple[str, Optional[str]]:
    """("create" | "unchanged" | "conflict" | "skip", reason) for two interfaces given as
    {"type", "cable": cable id or None, "name"}."""
    for end in (a_end, b_end):
        if end.get("type") in UNCABLED_TYPES or end.get("vm"):
            return "skip", f"{end.get('name')} is a {end.get('type') or 'VM'} interface and takes no cable"
    a_cable, b_cable = a_end.get("cable"), b_end.get("cable")
    if a_cable is None and b_cable is None:
        return "create", None
    if a_cable is not None and a_cable == b_cable:
        return "unchanged", None
    cabled = [end["name"] for end in (a_end, b_end) if end.get("cable") is not None]
    return "conflict", f"{' and '.join(cabled)} already cabled elsewhere; not rewired"
