#!/usr/bin/python
# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: librenms_device_import
short_description: Import LibreNMS devices, stacks and VMs into NetBox, idempotently and in bulk
version_added: 0.1.0
description:
  - Validates the chosen LibreNMS devices afresh against NetBox, with the rules of
    M(netbox_librenms.sync.librenms_device_filter), and creates the ones that are V(ready).
  - Devices already in NetBox are skipped, or brought in line with O(update_existing). A re-run changes nothing
    and reports C(changed=false).
  - Writes in bulk, O(batch_size) objects per request, O(write_concurrency) requests at once. When NetBox rejects a
    batch, its objects are sent one by one, so only the device NetBox refuses fails, with NetBox's own error text.
  - A background import of more than O(batch_jobs_threshold) devices is split into batch jobs that any worker can
    run; RV(job) is their parent (see M(netbox_librenms.sync.librenms_job_status)).
  - Writes what netbox-librenms-plugin writes, so either tool recognises the other's devices. A device gets its name,
    site, device type, role, platform, rack (no position), serial, status (V(active) when LibreNMS says it is up,
    else V(offline)), the C(librenms_id) custom field (the LibreNMS id under the O(server_key)) and a comment.
  - A stack or virtual chassis becomes a NetBox virtual chassis named after the device, with domain
    V(librenms-<server_key>-<device_id>). Its master is renamed by O(vc_member_name_pattern). Every other member
    becomes a device with its own serial and position, and with the master's type, role, site, rack and platform,
    unless the member's model matches another device type. A member whose serial or name is already in NetBox is
    skipped with a warning.
  - A VM gets its name, cluster, role, platform, status and C(librenms_id).
  - Two imports of the same devices started together create each object once. NetBox's uniqueness error counts as
    "already exists", not as a failure.
  - Before its first write, the import asks NetBox whether the token may make every write it plans (one C(OPTIONS)
    request per endpoint), and fails naming the missing permissions (for example C(dcim.add_device),
    C(dcim.change_virtualchassis)) with nothing written. A token NetBox rejects fails with "the API token was
    rejected", a user without a view permission with "permission denied".
  - An import that wrote nothing because every device failed (unknown ids or hostnames, NetBox refusing every
    object) fails, naming the first failures. An import where some devices failed and others were imported, or
    found already in NetBox, succeeds and lists the failures in RV(failures).
author:
  - netbox_librenms.sync contributors (@netbox-librenms)
requirements:
  - pynetbox
  - requests
options:
  devices:
    description:
      - The LibreNMS devices to import, as ids, hostnames, or the rows of
        RV(netbox_librenms.sync.librenms_device_filter#module:devices).
      - A row's C(selection) (the choices the search applied) comes along. Its status and matches do not, since
        NetBox is always read afresh.
      - Give either O(devices) or O(filters) / O(all_devices).
    type: list
    elements: raw
    default: []
  create_virtual_chassis:
    description:
      - Create virtual chassis and their member devices for stacks.
      - One inventory call is made per device that may be created.
      - With V(false), only the devices that may be created and whose hardware matches no device type get one
        inventory call, so their chassis model (a stack master's model) can give the device type.
      - A chassis with the domain C(librenms-<server_key>-<id>) that NetBox already holds (left by a run that
        NetBox failed in the middle of) is reused, never created twice; empty duplicates of it are deleted.
    type: bool
    default: true
  update_existing:
    description:
      - V(false) skips devices already in NetBox.
      - V(true) brings their serial, platform, device type, status and C(librenms_id) in line with LibreNMS
        and reports them in RV(updated).
    type: bool
    default: false
  migrate_legacy_ids:
    description:
      - A C(librenms_id) holding a bare integer (written by netbox-librenms-plugin before 0.4.4) does not say
        which LibreNMS server it belongs to.
      - V(false) links it under the V(default) server key only, with a warning; under any other server key the
        device is C(needs_review) ("legacy id, which server?") and is not imported.
      - V(true) says the bare ids are this server's (O(server_key)), so each one the import meets is rewritten as
        a mapping of O(server_key) to the id and reported in RV(updated), whatever O(update_existing) says.
        Check mode and diff show the rewrite; a re-run changes nothing.
    type: bool
    default: false
  batch_jobs_threshold:
    description:
      - A background import (O(background)) of more devices than this is split into batch jobs of at most this many
        devices, one RQ job each, that any worker can run. The job returned is their parent; its result merges
        theirs.
      - A stack is one LibreNMS device, so it never splits across batches.
      - At least V(1); V(0) or a negative number fails the task before anything is queued.
    type: int
    default: 500
  manage_custom_field:
    description:
      - Create the C(librenms_id) JSON custom field on devices and virtual machines when NetBox lacks it.
      - Creating it is reported as a change.
      - Without it, imported objects carry no C(librenms_id) and re-runs recognise them by name.
    type: bool
    default: true
  fail_on_error:
    description: Fail the task when any device failed. Otherwise it fails only when nothing could be done at all.
    type: bool
    default: false
  from_job:
    description:
      - Import the devices of a finished background search job, given by its id
        (RV(netbox_librenms.sync.librenms_device_filter#module:job.id)).
      - The device list and selections come from the cache; NetBox is read afresh. After O(cache_timeout) the
        results have expired and the search must run again.
      - A value that is not a job id (1 to 128 letters, digits, C(_) or C(-)) fails the task before Redis is asked.
    type: str
  selections_file:
    description:
      - A review report of M(netbox_librenms.sync.librenms_device_filter) in CSV
        (O(netbox_librenms.sync.librenms_device_filter#module:report_path)), as a person edited it.
      - Each row gives the choices for its device. A non-empty C(name), C(role), C(rack) or C(cluster) becomes that
        selection, an empty one leaves the choice to O(role), O(role_rules) and the naming options. C(import_as) is
        V(device) (also when empty) or V(vm), which needs a C(cluster).
      - Without O(devices), O(filters), O(all_devices) and O(from_job), the devices imported are the rows whose
        C(import) is V(yes). With one of them, the file only supplies the choices of its rows.
      - An entry of O(selections) (by id or hostname) replaces the file's row for that device.
      - C(librenms_id) is required. The other columns (C(hostname), C(status), C(site), ...) are read-only and
        ignored, so they may be removed. An unknown column, an empty, non-numeric or repeated id, or a bad
        C(import_as) or C(import) fails the task with one error per bad cell, each naming the file, the line and
        the column.
      - A C(name) that starts with C(=), C(+), C(-) or C(@) (with or without the apostrophe the report puts before
        such a cell) is refused the same way, before anything is written, since a spreadsheet would run it as a
        formula.
      - UTF-8 (a byte order mark is fine), comma or semicolon separated.
    type: path
extends_documentation_fragment:
  - netbox_librenms.sync.connection
  - netbox_librenms.sync.filters
  - netbox_librenms.sync.validation
  - netbox_librenms.sync.jobs
  - netbox_librenms.sync.writes
  - netbox_librenms.sync.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Returns what a real run would create and update, and its C(changed), without writing anything.
  diff_mode:
    support: full
    details: Returns the payload of each object to create and the before and after of each field to update.
"""

EXAMPLES = r"""
# Search, review, import: the usual flow.
- name: Search LibreNMS and validate against NetBox
  netbox_librenms.sync.librenms_device_filter:
    filters:
      location: LON1 Docklands, London
    site_map:
      "LON1 Docklands, London": lon1
    role: access-switch
  register: found

- name: Import what is ready
  netbox_librenms.sync.librenms_device_import:
    devices: "{{ found.devices | selectattr('status', 'eq', 'ready') }}"
    site_map:
      "LON1 Docklands, London": lon1
    role: access-switch
  register: imported

- name: Report
  ansible.builtin.debug:
    msg: "{{ imported.summary }}"

# Search and import in one task, nightly, with roles chosen by rules.
- name: Import every device LibreNMS knows that NetBox can take
  netbox_librenms.sync.librenms_device_import:
    all_devices: true
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
    batch_size: 200

# Review first: write the search as CSV, let a person edit it, then import what they approved.
- name: Write the review table
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    role_rules:
      - role: access-switch
        match:
          os: "^(ios|iosxe)$"
    report_path: /srv/review/librenms-import.csv

- name: Import the rows set to import=yes, with the role, rack, cluster and import_as of each row
  netbox_librenms.sync.librenms_device_import:
    selections_file: /srv/review/librenms-import.csv
    role_rules:
      - role: access-switch
        match:
          os: "^(ios|iosxe)$"

# Bring existing devices in line (serial, platform, device type, status, librenms_id)
- name: Update what NetBox already has
  netbox_librenms.sync.librenms_device_import:
    devices: [17, "core1.lon1.example.net"]
    update_existing: true
  check_mode: true
  diff: true
"""

RETURN = r"""
created:
  description: The objects created (in check mode, the objects a real run would create, with null ids).
  returned: success
  type: list
  elements: dict
  sample:
    - device_id: 17
      name: sw1-M1
      kind: device
      netbox_id: 1204
      url: https://netbox.example.net/api/dcim/devices/1204/
      virtual_chassis: {"id": 31, "name": "sw1", "members": ["sw1-M2"]}
updated:
  description:
    - The existing objects brought in line, with the fields changed (O(update_existing)).
    - Also, whatever O(update_existing) says, the master of a stack that an earlier run created without its
      virtual chassis (NetBox failed in between) once this run has created the chassis and members. Its
      C(changes) is C(virtual_chassis) and it has a C(virtual_chassis) entry as in RV(created).
    - And, with O(migrate_legacy_ids), each object whose bare C(librenms_id) was rewritten (C(changes) is
      C(librenms_id)).
  returned: success
  type: list
  elements: dict
  sample:
    - device_id: 18
      name: sw2
      kind: device
      netbox_id: 99
      url: https://netbox.example.net/api/dcim/devices/99/
      changes: {"serial": {"before": "", "after": "FOC123"}}
removed_virtual_chassis:
  description:
    - Empty duplicate virtual chassis deleted (in check mode, to be deleted), each with its C(id), C(name) and
      C(domain). A run that NetBox failed in the middle of could leave a chassis whose master never joined, and
      earlier versions then created a second one with the same C(librenms-<server_key>-<id>) domain; the one kept
      is reused.
  returned: success
  type: list
  elements: dict
  sample:
    - {"id": 44, "name": "sw1", "domain": "librenms-default-17"}
skipped_devices:
  description:
    - The devices left alone, with their status and why (already in NetBox, blocked, needs review, conflict).
    - Not named C(skipped), which Ansible reads as the task's own "skipped" flag.
  returned: success
  type: list
  elements: dict
  sample:
    - device_id: 19
      name: sw3
      status: exists
      reason: "already in NetBox as device 'sw3' (matched by librenms_id)"
      netbox_id: 100
      url: https://netbox.example.net/api/dcim/devices/100/
failures:
  description:
    - The devices that could not be written, with NetBox's reason.
    - When every device failed the task fails, and this holds the first 20 of them.
  returned: success, and on failure when nothing was imported
  type: list
  elements: dict
  sample:
    - device_id: 20
      name: sw4
      netbox_id: null
      url: null
      reason: "NetBox refused it (400): platform: The assigned platform is limited to ..."
failed_count:
  description: How many devices failed; also when the task failed because every device failed.
  returned: success, and on failure when nothing was imported
  type: int
  sample: 50000
missing_permissions:
  description: The NetBox permissions the token lacks for the writes the import planned; nothing was written.
  returned: on failure for want of permissions
  type: list
  elements: str
  sample: [dcim.add_device, virtualization.add_virtualmachine]
summary:
  description: Counts of the run.
  returned: success
  type: dict
  sample: {"total": 40, "success_count": 30, "failed_count": 1, "skipped_count": 9, "virtual_chassis_created": 3}
errors:
  description: One line per failure, the device's name and NetBox's reason.
  returned: success
  type: list
  elements: str
warnings_list:
  description:
    - Warnings of the run (members skipped, virtual chassis not completed, custom field problems).
    - They are also shown as task warnings.
  returned: success
  type: list
  elements: str
custom_field_created:
  description: Whether the C(librenms_id) custom field was (or, in check mode, would be) created.
  returned: success
  type: bool
server_key:
  description: The LibreNMS server key used.
  returned: success
  type: str
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
    batch_jobs:
      description:
        - When the import was split (O(batch_jobs_threshold)), its batch jobs' C(id), C(status), C(worker) and
          C(devices); RV(job.id) is then their parent's.
      type: list
      elements: dict
      returned: when the import was split into batch jobs
batch_jobs:
  description:
    - When the import ran as batch jobs (O(batch_jobs_threshold)), each one's C(id), C(status), C(worker) and
      C(devices). The devices of a batch job that did not finish are in RV(failures), and RV(completed) is false.
  returned: when the import ran as batch jobs and the result is the parent's (O(wait))
  type: list
  elements: dict
job_created:
  description: Whether this task queued the job (false when an identical request was already queued or running).
  returned: when queued
  type: bool
imported_device_pks:
  description: NetBox ids of the devices created (netbox-librenms-plugin's import job key).
  returned: success
  type: list
  elements: int
imported_vm_pks:
  description: NetBox ids of the VMs created.
  returned: success
  type: list
  elements: int
imported_libre_device_ids:
  description: LibreNMS ids of the devices created.
  returned: success
  type: list
  elements: int
imported_libre_vm_ids:
  description: LibreNMS ids of the devices created as VMs.
  returned: success
  type: list
  elements: int
total:
  description:
    - The total of RV(summary), at the top level as the plugin reports it.
    - So are C(success_count), RV(failed_count), C(skipped_count) and C(virtual_chassis_created).
  returned: success
  type: int
completed:
  description:
    - True for a finished import; false for the merged result of batch jobs when one of them did not finish (its
      devices are in RV(failures)).
  returned: success
  type: bool
api_calls:
  description: How many HTTP requests the run made to each system.
  returned: success
  type: dict
  sample: {"netbox": 18, "netbox_writes": 7, "librenms": {"list_devices": 1, "inventory_all": 40}}
selections_file:
  description: What O(selections_file) gave.
  returned: when O(selections_file) is given
  type: dict
  contains:
    path:
      description: The file read.
      type: str
    rows:
      description: How many device rows it holds.
      type: int
    approved:
      description: How many rows have C(import) set to V(yes).
      type: int
diff:
  description: Before and after per object, with C(--diff).
  returned: when diff mode is on
  type: list
  elements: dict
"""

from ansible_collections.netbox_librenms.sync.plugins.module_utils._ansible_module import run_module
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.dispatch import dispatch_import
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import (
    BATCH_JOBS_ARGUMENT_SPEC,
    FILTERS_ARGUMENT_SPEC,
    JOBS_ARGUMENT_SPEC,
    VALIDATION_ARGUMENT_SPEC,
    WRITES_ARGUMENT_SPEC,
    generate_argspec,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.selections_file import (
    run_with_selections_file,
)

IMPORT_ARGUMENT_SPEC = {
    "devices": {"type": "list", "elements": "raw", "default": []},
    "create_virtual_chassis": {"type": "bool", "default": True},
    "update_existing": {"type": "bool", "default": False},
    "migrate_legacy_ids": {"type": "bool", "default": False},
    "manage_custom_field": {"type": "bool", "default": True},
    "fail_on_error": {"type": "bool", "default": False},
    "from_job": {"type": "str"},
    "selections_file": {"type": "path"},
}


def run(options, module):
    result = run_with_selections_file(
        options, lambda params: dispatch_import(params, check_mode=module.check_mode, diff=module._diff))
    result["warnings_list"] = list(result.get("warnings", []))
    if options["fail_on_error"] and result.get("failures"):
        failed = "; ".join(result["errors"][:5])
        raise LibrenmsSyncError(f"{len(result['failures'])} device(s) failed: {failed}", result)
    return result


def main():
    argument_spec = generate_argspec(
        FILTERS_ARGUMENT_SPEC, VALIDATION_ARGUMENT_SPEC, JOBS_ARGUMENT_SPEC, WRITES_ARGUMENT_SPEC,
        BATCH_JOBS_ARGUMENT_SPEC, **IMPORT_ARGUMENT_SPEC
    )
    run_module(argument_spec, run, ("requests", "pynetbox"))


if __name__ == "__main__":
    main()
