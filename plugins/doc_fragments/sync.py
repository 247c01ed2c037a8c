# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What librenms_device_sync writes and how (spec: module_utils/_options.py SYNC_ARGUMENT_SPEC)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  interface_name_field:
    description:
      - The LibreNMS port field that names the interface, V(ifName) (short, C(Gi1/0/1)) or V(ifDescr) (long).
      - When it is empty, the other one is used.
    type: str
    choices: [ifName, ifDescr]
    default: ifName
  interface_type_map:
    description:
      - NetBox interface types by LibreNMS C(ifType), before the built-in table.
      - "A value is a type (V(1000base-x-sfp)), or a mapping of speeds in kbps to types where the highest speed at or
        below the port's speed wins, for example
        C({ethernetCsmacd: {1000000: 1000base-x-sfp, 10000000: 10gbase-x-sfpp}})."
      - "The built-in table: C(ethernetCsmacd) by speed to V(1000base-t) (below 10 Gbit/s or unknown),
        V(10gbase-x-sfpp), V(25gbase-x-sfp28), V(40gbase-x-qsfpp), V(100gbase-x-qsfp28); C(ieee8023adLag) to V(lag);
        C(softwareLoopback), C(propVirtual), C(l2vlan) and C(tunnel) to V(virtual); anything else to V(other)."
    type: dict
    default: {}
  interface_filter:
    description: Regular expressions on the interface name (Python C(re.search)).
    type: dict
    default: {}
    suboptions:
      include:
        description: When given, only names that match one of them are synced.
        type: list
        elements: str
        default: []
      exclude:
        description: Names that match one of them are not synced.
        type: list
        elements: str
        default: []
  exclude_fields:
    description:
      - Fields never written. An excluded V(type) is created as V(other) and never changed.
      - V(mac_address) leaves MAC objects and the primary MAC alone.
    type: list
    elements: str
    choices: [type, speed, mtu, description, enabled, mac_address, librenms_id]
    default: []
  skip_port_states:
    description: Ports LibreNMS marks so are not synced (nor are their addresses and links).
    type: list
    elements: str
    choices: [deleted, disabled, ignored]
    default: [deleted, disabled, ignored]
  member_position_rules:
    description:
      - How the interface of a stack or virtual chassis finds its member. Tried in order; the first C(pattern)
        that matches the name captures a number, and the member at position number + C(offset) gets the
        interface. No match, or no member at that position, leaves it on the device linked to LibreNMS.
      - "Default: Juniper C(^(?:ge|xe|et|mge|fe|gr|lt)-(\\d+)/\\d+/\\d+) offset 1 (FPC 0 is position 1),
        then C(^[A-Za-z-]*?(\\d+)/\\d+/\\d+) offset 0 (C(Gi2/0/1) is position 2), as the import numbers members."
    type: list
    elements: dict
    suboptions:
      pattern:
        description: A regular expression with one group that captures the member number.
        type: str
        required: true
      offset:
        description: Added to the captured number to give the position.
        type: int
        default: 0
  vrf_map:
    description:
      - NetBox VRFs (by name or RD) by LibreNMS C(context_name). An address whose context has no entry goes in the
        global table. A VRF that NetBox lacks fails the task.
    type: dict
    default: {}
  include_link_local:
    description: Sync IPv6 link-local addresses (C(fe80::/10)) too.
    type: bool
    default: false
  reassign_ips:
    description:
      - Move an address that NetBox already has in the same VRF on another object to the synced interface.
      - V(false) reports it in RV(conflicts) and leaves it.
    type: bool
    default: false
  update_primary_ip:
    description:
      - Replace a primary IP that differs from the LibreNMS management address.
      - V(false) reports the drift in RV(conflicts) and keeps it. A device without a primary IP gets one either way.
    type: bool
    default: false
  delete_missing:
    description:
      - Delete the interfaces of the synced devices whose C(librenms_id) names this O(server_key) and a port that
        LibreNMS no longer has (or marks deleted).
      - Ownership is the C(librenms_id) custom field, which only a sync (or netbox-librenms-plugin) writes. An
        interface a person created has none and is never deleted.
      - A device for which LibreNMS lists no port at all keeps its interfaces (a warning says so).
    type: bool
    default: false
"""
