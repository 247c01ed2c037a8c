# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The LibreNMS device filters for the modules and the inventory plugin (spec: module_utils/_options.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  filters:
    description:
      - Which LibreNMS devices to look at. Every filter given must match (AND).
      - The most selective filter is sent to the LibreNMS API and all of them are applied again locally, so
        each keeps its meaning below whatever the LibreNMS version.
    type: dict
    default: {}
    suboptions:
      location:
        description: LibreNMS location name, case-insensitive, exact.
        type: str
      location_id:
        description: LibreNMS location id.
        type: int
      type:
        description: LibreNMS device type, exact (V(network), V(server), V(firewall), V(wireless), ...).
        type: str
      os:
        description: LibreNMS OS name, case-insensitive, exact (V(ios), V(junos), ...).
        type: str
      hostname:
        description: Substring of the hostname, case-insensitive.
        type: str
      sysname:
        description: sysName, case-insensitive, exact.
        type: str
      hardware:
        description: Substring of the hardware string, case-insensitive.
        type: str
  show_disabled:
    description: Include devices disabled in LibreNMS.
    type: bool
    default: false
  show_ignored:
    description: Include devices ignored in LibreNMS.
    type: bool
    default: false
"""
