#!/usr/bin/python
# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: librenms_device_filter
short_description: Search LibreNMS devices and tell which are ready to import into NetBox
version_added: 0.1.0
description:
  - Lists the LibreNMS devices matching O(filters) and validates each against NetBox, with the same rules the
    import uses.
  - Each device gets a RV(devices[].status) of V(ready) (can be imported as it is), V(needs_review) (importable
    once a role, a cluster or a virtual chassis master is chosen), V(blocked) (something is missing in NetBox or
    wrong in the data; see RV(devices[].issues)), V(exists) (already in NetBox) or V(conflict) (NetBox holds an
    object that disagrees with the device; see RV(devices[].existing.conflict)).
  - NetBox is read in bulk (reference data and existing objects), so the number of NetBox requests does not grow
    with the number of devices. LibreNMS gets one list call, plus one inventory call per candidate when
    O(vc_detection) is on.
  - LibreNMS SNMP credentials returned by its API (community, auth and crypto passwords) never leave the library.
  - Never changes anything in NetBox or LibreNMS, so it always reports C(changed=false). O(report_path) writes a
    local file, which is output, not a change.
author:
  - netbox_librenms.sync contributors (@netbox-librenms)
requirements:
  - pynetbox
  - requests
options:
  vc_detection:
    description:
      - Detect stacks and virtual chassis (Cisco StackWise and other stack roots, Juniper FPC virtual chassis,
        Aruba VSF) from each candidate's inventory, with one C(/inventory/{id}/all) call per candidate.
      - Juniper FPC rows are virtual chassis members only on fixed EX and QFX switches, as the device's hardware
        (else its C(jnxChassis) row, else every FPC row) names them; on MX, PTX, ACX, SRX, M and T routers and on
        modular switches (EX6200/8200/9200, QFX10000) they are line cards.
      - The import always detects them for the devices it may create.
      - A call that still fails after its retries (LibreNMS overloaded, a proxy timing out) does not fail the task.
        That device becomes V(needs_review), with a review reason naming the failed call, and a re-run reads it again.
    type: bool
    default: false
  report_path:
    description:
      - Write a review report of the search to this file on the host that runs the module, one row per device with
        the columns C(librenms_id), C(hostname), C(name), C(status), C(site), C(device_type), C(platform), C(role),
        C(rack), C(cluster), C(import_as), C(import), C(issues) and C(warnings).
      - C(import) is V(yes) for V(ready) devices and empty otherwise. In the CSV a person may change C(name),
        C(role), C(rack), C(cluster), C(import_as) (V(device) or V(vm)) and C(import) (V(yes) or V(no)), and give
        the file to O(netbox_librenms.sync.librenms_device_import#module:selections_file). The other columns are
        for reading and are ignored there.
      - The report is written also in check mode, since the module is read-only toward NetBox and LibreNMS, and
        the task still reports C(changed=false).
      - The report holds no token and no SNMP secret. The directory must exist; the file is replaced.
      - The report needs the rows in the task, so with O(background=auto) and without O(wait) the search runs in
        the task; O(background=always) needs O(wait=true).
    type: path
  report_format:
    description:
      - V(csv) (the one O(netbox_librenms.sync.librenms_device_import#module:selections_file) reads), V(markdown)
        (a table), or V(html) (one self-contained page with a status summary at the top, no script, no external
        resource).
      - Default from the extension of O(report_path) (C(.csv), C(.md), C(.html)), else V(csv).
    type: str
    choices: [csv, markdown, html]
  return_devices:
    description:
      - Which rows of RV(devices) the task returns. Every other key (RV(summary), RV(filters), RV(device_ids),
        RV(api_calls), RV(job), RV(report), the cache keys) is returned whatever this says, and RV(summary) still
        counts every device found.
      - V(all) returns a row for every device found.
      - V(importable) returns the rows whose status lets the device be imported, now (V(ready)) or once a role, a
        cluster or a virtual chassis master is chosen (V(needs_review)). Rows with V(blocked), V(exists) or
        V(conflict) are left out.
      - V(none) returns no rows, and RV(devices) is absent from the result (not an empty list, so a playbook that
        reads it fails at once instead of finding no device). Use it when the task is read for its counts, or
        when the rows go to O(report_path), which still gets every row.
      - Ansible scans every value a module returns for secrets to hide, which for thousands of full rows costs
        the task more than the search. V(none), V(importable) and O(result_fields) make that cost small (see the
        README, "Search, review, import").
      - It shapes only what this task returns. The Redis cache (which
        O(netbox_librenms.sync.librenms_device_import#module:from_job) imports from), a background job's stored
        result and the report keep every row in full. A background job that is not waited for returns no rows
        anyway; with O(wait) its rows are shaped here.
    type: str
    choices: [all, importable, none]
    default: all
  result_fields:
    description:
      - The keys of each row of RV(devices) to return; the others are left out. Unset or empty returns every key.
      - Top-level keys only (V(existing) returns the whole RV(devices[].existing) dictionary). Valid keys are
        V(status), V(device_id), V(hostname), V(sysname), V(name), V(import_as), V(issues), V(review),
        V(warnings), V(site), V(device_type), V(platform), V(role), V(rack), V(cluster), V(existing),
        V(virtual_chassis), V(os), V(hardware), V(serial), V(ip), V(location), V(type), V(librenms_status),
        V(disabled), V(ignore) and V(selection). Any other key fails the task, before the search, with one line
        naming the valid keys.
      - Rows given to O(netbox_librenms.sync.librenms_device_import#module:devices) need V(device_id), and
        V(selection) for the choices the search applied, unless the import gets the same O(selections).
    type: list
    elements: str
extends_documentation_fragment:
  - netbox_librenms.sync.connection
  - netbox_librenms.sync.filters
  - netbox_librenms.sync.validation
  - netbox_librenms.sync.jobs
  - netbox_librenms.sync.attributes
  - netbox_librenms.sync.attributes.READ_ONLY
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Which Cisco switches in London can be imported?
  netbox_librenms.sync.librenms_device_filter:
    librenms_url: https://librenms.example.net
    librenms_token: "{{ librenms_token }}"
    netbox_url: https://netbox.example.net
    netbox_token: "{{ netbox_token }}"
    filters:
      location: London LD5
      os: ios
    role: access-switch
    vc_detection: true
  register: found

- name: Show the verdicts
  ansible.builtin.debug:
    msg: "{{ found.summary }}"

- name: Everything, with the connection in the environment (LIBRENMS_URL, LIBRENMS_TOKEN, NETBOX_URL, NETBOX_TOKEN)
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    site_map:
      "Zürich DC1": zrh1
    device_type_map:
      "WS-C2960X-48FPD-L": "Catalyst 2960-X 48"
    role_rules:
      - role: core
        match:
          hostname: "^core"
      - role: access-switch
        match:
          os: "^(ios|iosxe)$"
    selections:
      "42":
        as_vm: true
        cluster: vmware-prod
  register: found

- name: Write a review table to edit (role, rack, cluster, import_as, import) before the import
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    role_rules:
      - role: access-switch
        match:
          os: "^(ios|iosxe)$"
    report_path: /srv/review/librenms-import.csv

- name: The same search as a page to read in a browser
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    report_path: /srv/review/librenms-import.html

- name: The ids of the devices ready to import
  ansible.builtin.set_fact:
    ready_ids: "{{ found.devices | selectattr('status', 'eq', 'ready') | map(attribute='device_id') | list }}"

- name: Thousands of devices - the counts and the report only, no row in the task's result
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    report_path: /srv/review/librenms-import.csv
    return_devices: none
  register: counted

- name: Stop when anything is blocked
  ansible.builtin.assert:
    that: counted.summary.blocked == 0
    fail_msg: "{{ counted.summary.blocked }} devices are blocked; see {{ counted.report.path }}"

- name: The importable devices, with the few keys the next tasks read
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    return_devices: importable
    result_fields: [device_id, name, status, review]
  register: importable

- name: Import the ready ones
  netbox_librenms.sync.librenms_device_import:
    devices: "{{ importable.devices | selectattr('status', 'eq', 'ready') }}"
"""

RETURN = r"""
devices:
  description:
    - One entry per LibreNMS device found, sorted by name.
    - With O(return_devices=importable), the V(ready) and V(needs_review) ones only; with O(result_fields), only
      those keys of each entry.
  returned: success, unless O(return_devices=none)
  type: list
  elements: dict
  contains:
    status:
      description: V(ready), V(needs_review), V(blocked), V(exists) or V(conflict).
      type: str
      sample: ready
    device_id:
      description: LibreNMS device id.
      type: int
      sample: 17
    hostname:
      description: LibreNMS hostname.
      type: str
      sample: sw1.lon1.example.net
    sysname:
      description: LibreNMS sysName.
      type: str
      sample: sw1
    name:
      description: The NetBox name the device would get.
      type: str
      sample: sw1
    import_as:
      description: V(device) or V(vm).
      type: str
      sample: device
    issues:
      description: What blocks the import (the status is then V(blocked)).
      type: list
      elements: str
      sample: ["no NetBox site matches LibreNMS location 'Lab'"]
    review:
      description: What must be chosen before the import (the status is then V(needs_review)).
      type: list
      elements: str
      sample: ["no role: set role, add a role_rules entry or set selections.44.role"]
    warnings:
      description:
        - What does not block the import but is worth knowing (no platform match, for example).
        - For a device linked by C(librenms_id), what drifted since its import, as netbox-librenms-plugin warns of
          it, each starting with C(serial changed), C(name differs), C(device type differs) or C(legacy id to
          migrate).
      type: list
      elements: str
      sample: []
    site:
      description: The matched NetBox site (V(id), V(name), V(matched_by)), or null.
      type: dict
      sample: {"id": 1, "name": "LON1", "matched_by": "site_map"}
    device_type:
      description: The matched device type, or null.
      type: dict
    platform:
      description: The matched platform, or null.
      type: dict
    role:
      description: The chosen role, or null.
      type: dict
    rack:
      description: The selected rack, or null.
      type: dict
    cluster:
      description: The selected cluster for a VM, or null.
      type: dict
    existing:
      description: The NetBox object this device already is or collides with, or null.
      type: dict
      contains:
        id:
          description: NetBox id.
          type: int
        name:
          description: NetBox name.
          type: str
        url:
          description: NetBox API URL of the object.
          type: str
        kind:
          description: V(device) or V(vm).
          type: str
        match:
          description:
            - How it was found, V(librenms_id), V(legacy_id), V(name), V(hostname), V(hostname without domain),
              V(sysName), V(sysName without domain), V(serial) or V(primary_ip).
            - V(name) is the name the device would get now; the hostname and sysName forms are the other names an
              earlier import may have given it.
            - V(legacy_id) is a bare integer C(librenms_id) (netbox-librenms-plugin before 0.4.4), which does not say
              which server it belongs to. Under the V(default) server key it counts as V(librenms_id); under
              another key the status is V(needs_review) (legacy id, which server?).
            - A device NetBox holds as a VM makes the row a VM row (RV(devices[].import_as) V(vm)).
          type: str
        conflict:
          description: Why the NetBox object disagrees with the device (the status is then V(conflict)), or null.
          type: str
    virtual_chassis:
      description: Stack or virtual chassis members found in the inventory, with O(vc_detection).
      type: dict
      sample:
        kind: stack
        master_position: 1
        members:
          - {"position": 1, "serial": "FOC1", "model": "C9300-48P", "name": "sw1-M1", "is_master": true}
    os:
      description: LibreNMS OS.
      type: str
      sample: ios
    hardware:
      description: LibreNMS hardware string.
      type: str
      sample: WS-C2960X-48FPD-L
    serial:
      description: LibreNMS serial number.
      type: str
    ip:
      description: LibreNMS IP address.
      type: str
    location:
      description: LibreNMS location.
      type: str
      sample: London LD5
    type:
      description: LibreNMS device type (V(network), V(server), ...).
      type: str
    librenms_status:
      description: Whether LibreNMS reports the device up.
      type: bool
    disabled:
      description: Whether the device is disabled in LibreNMS.
      type: bool
    ignore:
      description: Whether the device is ignored in LibreNMS.
      type: bool
    selection:
      description: The choices O(selections) made for this device (by id or hostname), or an empty dictionary.
      type: dict
      sample: {"role": "core"}
summary:
  description: How many devices have each status, and the total.
  returned: success
  type: dict
  sample: {"ready": 10, "needs_review": 2, "blocked": 1, "exists": 30, "conflict": 0, "total": 43}
filters:
  description: The filters as applied.
  returned: success
  type: dict
  sample: {"os": "ios"}
server_key:
  description: The LibreNMS server key used.
  returned: success
  type: str
  sample: default
job:
  description: The queued job, when the run went to the background (then the other keys are absent unless O(wait)).
  returned: when queued
  type: dict
  contains:
    id:
      description: Job id, for M(netbox_librenms.sync.librenms_job_status).
      type: str
    queue:
      description: RQ queue.
      type: str
      sample: netbox_librenms.default
    status:
      description: RQ status when the task returned.
      type: str
      sample: queued
    enqueued_at:
      description: When it was queued (UTC).
      type: str
job_created:
  description: Whether this task queued the job (false when an identical request was already queued or running).
  returned: when queued
  type: bool
device_ids:
  description:
    - LibreNMS ids of every device found, as netbox-librenms-plugin's search job reports them.
    - O(return_devices) and O(result_fields) do not change it.
  returned: success
  type: list
  elements: int
total_processed:
  description: Number of devices validated.
  returned: success
  type: int
vc_detection_enabled:
  description: Whether O(vc_detection) was on.
  returned: success
  type: bool
cache_timeout:
  description: Seconds the results stay in the cache.
  returned: success
  type: int
cached_at:
  description: When the results were cached (UTC), or null without Redis.
  returned: success
  type: str
search_key:
  description: Cache key of this search's results (with Redis).
  returned: when Redis is used
  type: str
completed:
  description: Always true for a finished search.
  returned: success
  type: bool
cached_searches:
  description: The searches of this server still in the cache (search_key, filters, cached_at, devices, expires_in).
  returned: when Redis is used
  type: list
  elements: dict
cache_cleared:
  description: How many cache entries O(clear_cache) deleted.
  returned: when Redis is used
  type: int
report:
  description: The review report written, with O(report_path).
  returned: when O(report_path) is given
  type: dict
  contains:
    path:
      description: The file written.
      type: str
      sample: /srv/review/librenms-import.csv
    format:
      description: V(csv), V(markdown) or V(html).
      type: str
      sample: csv
    rows:
      description: How many device rows it holds.
      type: int
      sample: 43
api_calls:
  description: How many HTTP requests the search made to each system.
  returned: success
  type: dict
  sample: {"netbox": 10, "netbox_writes": 0, "librenms": {"list_devices": 1, "inventory_all": 42}}
"""

from ansible_collections.netbox_librenms.sync.plugins.module_utils._ansible_module import run_module
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.dispatch import dispatch_search
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import (
    FILTERS_ARGUMENT_SPEC,
    JOBS_ARGUMENT_SPEC,
    VALIDATION_ARGUMENT_SPEC,
    generate_argspec,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.shape import RETURN_DEVICES, search_shaped


def main():
    argument_spec = generate_argspec(
        FILTERS_ARGUMENT_SPEC, VALIDATION_ARGUMENT_SPEC, JOBS_ARGUMENT_SPEC,
        vc_detection={"type": "bool", "default": False},
        report_path={"type": "path"},
        report_format={"type": "str", "choices": ["csv", "markdown", "html"]},
        return_devices={"type": "str", "default": "all", "choices": list(RETURN_DEVICES)},
        result_fields={"type": "list", "elements": "str"},
    )
    run_module(argument_spec, lambda options, module: search_shaped(options, dispatch_search),
               ("requests", "pynetbox"))


if __name__ == "__main__":
    main()
