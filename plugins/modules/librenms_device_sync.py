#!/usr/bin/python
# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: librenms_device_sync
short_description: Sync interfaces, MAC addresses, IP addresses, primary IPs and cables from LibreNMS into NetBox
version_added: 0.2.0
description:
  - "Works on the NetBox devices and VMs linked to LibreNMS for the O(server_key) through their C(librenms_id) custom
    field (C({server_key: id}), or a bare id for the default server), as M(netbox_librenms.sync.librenms_device_import)
    and netbox-librenms-plugin write it."
  - "Reads LibreNMS in a few calls: above 10 devices, the estate-wide C(/ports), C(/resources/ip/addresses) and
    C(/resources/links) once each; at 10 devices or fewer, the per-device endpoints (three calls per device).
    Plus one device list for the management addresses."
  - Reads NetBox in bulk, 100 devices or addresses per filtered listing, in pages of 1000.
  - "Interfaces: name from O(interface_name_field), type from O(interface_type_map) and a built-in table, speed in
    kbps, MTU, description (C(ifAlias) unless it equals the name), enabled (C(ifAdminStatus)), and C(librenms_id)
    as C({server_key: port_id}), as netbox-librenms-plugin writes it. An existing interface is matched by
    C(librenms_id), then by name. A stack's interfaces go to the members their names give
    (O(member_position_rules)). A VM gets VM interfaces."
  - "MAC addresses: a C(dcim.mac-addresses) object assigned to the interface and made its primary MAC (NetBox 4.2
    or later). A MAC object already on the interface with the same value is reused; none is ever deleted."
  - "IP addresses: IPv4 and IPv6 with their prefix length, assigned to their interface, in the VRF O(vrf_map) gives,
    else the global table. An address NetBox has in that VRF on another object is a conflict (O(reassign_ips))."
  - "Primary IP: the device's LibreNMS management address becomes C(primary_ip4) or C(primary_ip6) when it is one of
    its synced addresses on an interface that is not management-only; otherwise a warning. A different primary IP
    is drift (O(update_primary_ip))."
  - "Cables: one per link (LibreNMS lists a link from both ends), status V(connected), when both ends resolve (the
    far device by its C(librenms_id), the far port by C(librenms_id), else by name) and neither end is cabled. An
    end cabled elsewhere is reported and never rewired. Virtual, LAG and bridge interfaces take no cable."
  - Writes in bulk, O(batch_size) objects per request, O(write_concurrency) requests at once, in the order
    interfaces, MACs, primary MACs, addresses, primary IPs, cables. When NetBox rejects a batch, its objects are
    sent one by one, so only the object NetBox refuses fails. A re-run writes nothing and reports C(changed=false).
  - Creates the C(librenms_id) custom field, or enables it on interfaces and VM interfaces, when NetBox lacks it
    (O(manage_custom_field)).
author:
  - netbox_librenms.sync contributors (@netbox-librenms)
requirements:
  - pynetbox
  - requests
options:
  devices:
    description:
      - The devices and VMs to sync, as NetBox names or LibreNMS ids (a whole number is a LibreNMS id).
      - An entry that no linked device or VM has is reported in RV(failures).
      - Give exactly one of O(devices), O(netbox_filters), O(from_job) and O(all_devices).
    type: list
    elements: raw
    default: []
  netbox_filters:
    description:
      - NetBox filters (query parameters of C(/api/dcim/devices/) and C(/api/virtualization/virtual-machines/),
        for example C(site), C(role), C(tag)); the linked devices and VMs they select are synced.
    type: dict
    default: {}
  all_devices:
    description: Sync every device and VM linked to LibreNMS for the O(server_key).
    type: bool
    default: false
  from_job:
    description:
      - Sync the devices and VMs a finished background import job
        (M(netbox_librenms.sync.librenms_device_import)) created, given by its id. Needs O(redis_url).
    type: str
  manage_custom_field:
    description:
      - Create the C(librenms_id) custom field, or enable it on C(dcim.interface) and C(virtualization.vminterface),
        when NetBox lacks it. Doing so is reported as a change.
      - V(false) with the field missing on interfaces fails the task.
    type: bool
    default: true
  fail_on_error:
    description: Fail the task when any object failed. Otherwise it fails only when nothing could be synced at all.
    type: bool
    default: false
extends_documentation_fragment:
  - netbox_librenms.sync.connection
  - netbox_librenms.sync.sync
  - netbox_librenms.sync.jobs
  - netbox_librenms.sync.writes
  - netbox_librenms.sync.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Returns the counts a real run would report, and its C(changed), without writing anything.
  diff_mode:
    support: full
    details: Per device, the objects to create with their fields, and the before and after of each field to change.
"""

EXAMPLES = r"""
- name: Sync every device the import linked
  netbox_librenms.sync.librenms_device_sync:
    all_devices: true
    vrf_map:
      mgmt: MGMT
  register: synced

- name: Report
  ansible.builtin.debug:
    msg: "{{ synced.counts }}"

- name: Two switches, only their physical ports, MACs left alone; show what would change
  netbox_librenms.sync.librenms_device_sync:
    devices: [sw1.lon1.example.net, 42]
    interface_filter:
      include: ['^(Gi|Te|xe|ge)']
    exclude_fields: [mac_address]
  check_mode: true
  diff: true

- name: One site, deleting the interfaces LibreNMS no longer has and taking over drifted primary IPs
  netbox_librenms.sync.librenms_device_sync:
    netbox_filters:
      site: lon1
    delete_missing: true
    update_primary_ip: true
    interface_type_map:
      ethernetCsmacd:
        1000000: 1000base-x-sfp
        10000000: 10gbase-x-sfpp
"""

RETURN = r"""
counts:
  description:
    - Per object kind (C(interfaces), C(mac_addresses), C(primary_macs), C(ip_addresses), C(primary_ips),
      C(cables)), how many were C(created), C(updated), C(unchanged), C(deleted), in C(conflicts), C(failures), or
      C(skipped) (ports filtered or marked in LibreNMS, link-local addresses, links whose far end is unknown).
    - In check mode, what a real run would write.
  returned: success
  type: dict
  sample: {"interfaces": {"created": 48, "updated": 0, "unchanged": 0, "deleted": 0, "conflicts": 0,
           "failures": 0, "skipped": 3}}
devices:
  description: Per device or VM, its NetBox and LibreNMS ids and its counts per kind (as in RV(counts)).
  returned: success
  type: list
  elements: dict
  sample:
    - name: sw1
      kind: device
      netbox_id: 12
      librenms_id: 17
      counts: {"interfaces": {"created": 48, "updated": 0, "unchanged": 0, "deleted": 0, "conflicts": 0,
               "failures": 0, "skipped": 3}}
conflicts:
  description: What was left alone and why (an address on another object, a primary IP drift, an end cabled elsewhere).
  returned: success
  type: list
  elements: dict
  sample:
    - device: sw1
      kind: cables
      object: "sw1 Gi1/0/1 <> sw2 Gi1/0/1"
      reason: "Gi1/0/1 already cabled elsewhere; not rewired"
unresolved_links:
  description:
    - The LibreNMS links left uncabled because their far end is unknown to LibreNMS, not synced, or has no such
      port in NetBox (counted as C(skipped) cables). One warning sums them up with the first three.
  returned: success
  type: list
  elements: dict
  sample:
    - device: sw1
      port: Gi1/0/2
      reason: neighbour SEP2B3C90E1F8DE is unknown to LibreNMS
failures:
  description: The objects NetBox refused, with its reason, and the O(devices) entries no linked device has.
  returned: success
  type: list
  elements: dict
errors:
  description: RV(failures) as one line each.
  returned: success
  type: list
  elements: str
custom_field_enabled:
  description: Whether the C(librenms_id) custom field was created or enabled on interfaces (would be, in check mode).
  returned: success
  type: bool
librenms_endpoints:
  description: V(estate) (the estate-wide endpoints), V(per_device) or V(none) (nothing to sync).
  returned: success
  type: str
api_calls:
  description: How many HTTP requests the run made to each system.
  returned: success
  type: dict
  sample: {"netbox": 14, "netbox_writes": 6, "librenms": {"ports": 1, "ip_addresses": 1, "links": 1,
           "list_devices": 1}}
job:
  description: The background job, when the run was queued (see M(netbox_librenms.sync.librenms_job_status)).
  returned: when queued
  type: dict
diff:
  description: Per device, before and after of each object written, with C(--diff).
  returned: when diff mode is on
  type: list
  elements: dict
"""

from ansible_collections.netbox_librenms.sync.plugins.module_utils._ansible_module import run_module
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.dispatch import dispatch_sync
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import (
    JOBS_ARGUMENT_SPEC,
    SYNC_ARGUMENT_SPEC,
    WRITES_ARGUMENT_SPEC,
    generate_argspec,
)

SYNC_MODULE_ARGUMENT_SPEC = {
    "devices": {"type": "list", "elements": "raw", "default": []},
    "netbox_filters": {"type": "dict", "default": {}},
    "all_devices": {"type": "bool", "default": False},
    "from_job": {"type": "str"},
    "manage_custom_field": {"type": "bool", "default": True},
    "fail_on_error": {"type": "bool", "default": False},
}


def run(options, module):
    result = dispatch_sync(options, check_mode=module.check_mode, diff=module._diff)
    if options["fail_on_error"] and result.get("failures"):
        failed = "; ".join(result["errors"][:5])
        raise LibrenmsSyncError(f"{len(result['failures'])} object(s) failed: {failed}"[:1900], result)
    return result


def main():
    argument_spec = generate_argspec(SYNC_ARGUMENT_SPEC, JOBS_ARGUMENT_SPEC, WRITES_ARGUMENT_SPEC,
                                     **SYNC_MODULE_ARGUMENT_SPEC)
    run_module(argument_spec, run, ("requests", "pynetbox"))


if __name__ == "__main__":
    main()
