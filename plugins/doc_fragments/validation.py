# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Search and validation options shared by the filter and import modules (spec: module_utils/_options.py).

The filters themselves, which the inventory plugin shares, are the `netbox_librenms.sync.filters` fragment.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  all_devices:
    description:
      - Look at every LibreNMS device instead of giving O(filters).
      - At least one filter is required unless O(all_devices=true).
    type: bool
    default: false
  exclude_existing:
    description: Drop devices already in NetBox before any per-device work (inventory calls, validation).
    type: bool
    default: false
  inventory_concurrency:
    description:
      - How many C(/inventory/{id}/all) calls to LibreNMS run at once when stacks are detected.
      - At least V(1); V(0) or a negative number fails the task.
    type: int
    default: 4
  use_sysname:
    description: Name devices after their sysName (falling back to the hostname); V(false) prefers the hostname.
    type: bool
    default: true
  strip_domain:
    description:
      - Keep only the first label of a DNS name (V(core1.example.net) becomes V(core1)).
      - IP addresses are kept whole.
    type: bool
    default: false
  site_map:
    description:
      - LibreNMS location name to NetBox site name or slug.
      - Takes precedence over matching the location to a site by name.
    type: dict
    default: {}
  device_type_map:
    description:
      - LibreNMS hardware string to NetBox device type model, slug or part number.
      - Without an entry, the hardware is matched to a part number, then a model, case-insensitive.
    type: dict
    default: {}
  platform_map:
    description:
      - LibreNMS OS to NetBox platform name or slug.
      - Without an entry the OS is matched to a platform name or slug.
    type: dict
    default: {}
  role:
    description: NetBox device role (name or slug) for every device unless a rule or a selection says otherwise.
    type: str
  role_rules:
    description:
      - Ordered rules choosing the role; the first rule whose every C(match) entry matches wins and overrides O(role).
    type: list
    elements: dict
    default: []
    suboptions:
      role:
        description: NetBox role name or slug.
        type: str
        required: true
      match:
        description:
          - Regular expressions (searched, case-insensitive) keyed by C(os), C(type), C(hardware), C(hostname),
            C(sysname) or C(location).
        type: dict
        required: true
  selections:
    description:
      - Per-device choices keyed by LibreNMS device id or hostname, as a person would tick them on the plugin's page.
      - Each may give C(name), C(role), C(rack) (in the device's site), C(as_vm) with C(cluster) to import as a
        virtual machine, and C(vc_master) (a serial or a position) when a virtual chassis master cannot be told.
      - C(as_vm) is a boolean; any other value (V(perhaps)) fails the task before anything is queued, naming
        C(selections.<id>.as_vm).
      - Entries naming a device the search did not find (unknown to LibreNMS, or outside the filters) are unused;
        a warning names them (the first 20, and how many in all).
      - An import given O(netbox_librenms.sync.librenms_device_import#module:devices) does not warn, since
        selections often cover a whole search of which it imports a part.
    type: dict
    default: {}
  vc_member_name_pattern:
    description:
      - Names of virtual chassis members, with the placeholders C({position}), C({serial}) and C({master_name}).
      - Without C({master_name}) the pattern is appended to the master's name (V(core1-M2)).
    type: str
    default: "-M{position}"
"""
