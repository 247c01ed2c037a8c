# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: an interface's MAC address as a NetBox 4.2+ `dcim.mac-addresses` object.

The MAC object is assigned to the interface and made its primary MAC. MAC objects already on the interface
(a person's included) are kept: one with the same value is reused, none is ever deleted.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_ports import normalize_mac


def mac_action(wanted: str, on_interface: List[Mapping[str, Any]], primary_id: Optional[int]
               ) -> Tuple[Optional[int], str, str]:
    """(id of the MAC object to use or None to create one, MAC action, primary-MAC action).

    Actions: "create" / "unchanged" for the object, "set" / "unchanged" for the interface's primary MAC.
    """
    same = [mac for mac in on_interface if normalize_mac(mac.get("mac_address")) == wanted]
    if not same:
        return None, "create", "set"
    chosen = next((mac for mac in same if mac["id"] == primary_id), same[0])
    return chosen["id"], "unchanged", "unchanged" if chosen["id"] == primary_id else "set"
