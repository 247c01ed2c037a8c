"""Helpers for the librenms_device_import tests: NetBox clean-up, read-back, change-log counts, playbook runs.

Everything an import writes is recognisable: devices and VMs carry the import comment (stack members copy it
from their master) and virtual chassis get the domain ``librenms-<server_key>-<id>``. The clean-up deletes those,
plus the objects tagged ``TAG`` (this file's own reference data), so several test modules can share one NetBox.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

from harness import netbox_estate as nbe
from harness.librenms_sim.estate import build_estate as build_sim_estate
from harness.settings import REPO_ROOT

TAG = "dit-device-import"
IMPORT_COMMENT = "Imported from LibreNMS"
VC_DOMAIN_PREFIX = "librenms-"
DEVICE_FIELDS = "id,name,serial,comments,custom_fields,virtual_chassis,vc_position,status,platform,device_type,role," \
                "site,rack,tags"
ANSIBLE_PLAYBOOK = str(REPO_ROOT / ".venv" / "bin" / "ansible-playbook")

# One module task per loop item; the results are saved also under --check.
LOOP_PLAYBOOK = """
- name: Run the module once per case and save what it registered
  hosts: localhost
  gather_facts: false
  tasks:
    - name: The task under test
      {module}: "{{{{ item }}}}"
      loop: "{{{{ cases }}}}"
      loop_control:
        label: case
      register: outcome
      ignore_errors: true
    - name: Save the results for the test
      check_mode: false
      ansible.builtin.copy:
        content: "{{{{ outcome.results | to_json }}}}"
        dest: "{{{{ result_path }}}}"
        mode: "0600"
"""

# The search, then the import of its ready rows: the flow the README describes.
SEARCH_THEN_IMPORT_PLAYBOOK = """
- name: Search, then import what is ready
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Search LibreNMS and validate against NetBox
      netbox_librenms.sync.librenms_device_filter: "{{ search_args }}"
      register: found
    - name: Import the ready rows
      netbox_librenms.sync.librenms_device_import: "{{ import_args | combine({'devices': ready}) }}"
      vars:
        ready: "{{ found.devices | selectattr('status', 'eq', 'ready') | list }}"
      register: imported
      ignore_errors: true
    - name: Save both results for the test
      ansible.builtin.copy:
        content: "{{ {'found': found, 'imported': imported} | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""


# ------------------------------------------------------------------------------------------------------------
# Playbook runs


def playbook_command(playbook: Path, variables: Path, *extra: str) -> List[str]:
    return [ANSIBLE_PLAYBOOK, str(playbook), "-e", f"@{variables}", *extra]


def prepare_loop(workdir: Path, module: str, cases: List[dict]) -> tuple:
    """(playbook, vars file, result path) of a fresh directory for one loop run."""
    run_dir = Path(tempfile.mkdtemp(dir=workdir))
    playbook = run_dir / "play.yml"
    playbook.write_text(LOOP_PLAYBOOK.format(module=module))
    result_path = run_dir / "results.json"
    variables = run_dir / "vars.json"
    variables.write_text(json.dumps({"cases": cases, "result_path": str(result_path)}))
    return playbook, variables, result_path


def read_loop_results(result_path: Path, completed_stdout: str, completed_stderr: str) -> List[dict]:
    if not result_path.exists():
        raise AssertionError(f"ansible-playbook failed:\n{completed_stdout}\n{completed_stderr}")
    results = json.loads(result_path.read_text())
    for result in results:
        result.pop("item", None)  # the test's own input, not module output
        result["_stdout"] = completed_stdout
        result["_stderr"] = completed_stderr
    return results


def run_loop(env: dict, workdir: Path, module: str, cases: List[dict], *extra: str) -> List[dict]:
    """Every case as one iteration of one ansible-playbook run (Ansible starts once)."""
    playbook, variables, result_path = prepare_loop(workdir, module, cases)
    completed = subprocess.run(playbook_command(playbook, variables, *extra), env=env, capture_output=True,
                               text=True, timeout=600, check=False)
    return read_loop_results(result_path, completed.stdout, completed.stderr)


class BackgroundRun:
    """One ansible-playbook run of one case, started now and collected later."""

    def __init__(self, env: dict, workdir: Path, module: str, args: dict, *extra: str) -> None:
        playbook, variables, self.result_path = prepare_loop(workdir, module, [args])
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(playbook_command(playbook, variables, *extra), env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.elapsed: Optional[float] = None

    def result(self, timeout: float = 600) -> dict:
        stdout, stderr = self.proc.communicate(timeout=timeout)
        self.elapsed = time.perf_counter() - self.started
        return read_loop_results(self.result_path, stdout, stderr)[0]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def run_search_then_import(env: dict, workdir: Path, search_args: dict, import_args: dict) -> Dict[str, dict]:
    run_dir = Path(tempfile.mkdtemp(dir=workdir))
    playbook = run_dir / "play.yml"
    playbook.write_text(SEARCH_THEN_IMPORT_PLAYBOOK)
    result_path = run_dir / "result.json"
    variables = run_dir / "vars.json"
    variables.write_text(json.dumps({"search_args": search_args, "import_args": import_args,
                                     "result_path": str(result_path)}))
    completed = subprocess.run(playbook_command(playbook, variables), env=env, capture_output=True, text=True,
                               timeout=600, check=False)
    if not result_path.exists():
        raise AssertionError(f"ansible-playbook failed:\n{completed.stdout}\n{completed.stderr}")
    results = json.loads(result_path.read_text())
    results["_stdout"] = completed.stdout
    return results


# ------------------------------------------------------------------------------------------------------------
# NetBox read-back


def librenms_id_of(record: Dict[str, Any], server_key: str = "default") -> Optional[int]:
    value = (record.get("custom_fields") or {}).get("librenms_id")
    if isinstance(value, dict):
        return value.get(server_key)
    return value if isinstance(value, int) else None


def all_devices(nb) -> List[Dict[str, Any]]:
    return [dict(record) for record in nb.dcim.devices.filter(limit=1000, fields=DEVICE_FIELDS)]


def all_vms(nb) -> List[Dict[str, Any]]:
    return [dict(record) for record in nb.virtualization.virtual_machines.filter(
        limit=1000, fields="id,name,comments,custom_fields,cluster,role,status,platform,tags")]


def all_virtual_chassis(nb) -> List[Dict[str, Any]]:
    return [dict(record) for record in nb.dcim.virtual_chassis.filter(limit=1000)]


def imported_devices(nb) -> List[Dict[str, Any]]:
    """Devices written by an import (masters, standalone devices and stack members)."""
    return [d for d in all_devices(nb) if IMPORT_COMMENT in (d.get("comments") or "")]


def devices_by_librenms_id(nb) -> Dict[int, List[Dict[str, Any]]]:
    found: Dict[int, List[Dict[str, Any]]] = {}
    for device in all_devices(nb):
        device_id = librenms_id_of(device)
        if device_id is not None:
            found.setdefault(device_id, []).append(device)
    return found


def change_count(nb) -> int:
    return nb.core.object_changes.count()


# ------------------------------------------------------------------------------------------------------------
# Clean-up


def _delete(endpoint, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    for start in range(0, len(ids), 200):
        endpoint.delete(ids[start:start + 200])


def wipe_imports(nb, librenms_ids: Optional[Iterable[int]] = None, keep_ids: Iterable[int] = ()) -> int:
    """Delete what imports created (all of it, or only the given LibreNMS devices with their stacks).

    Virtual chassis go first (NetBox clears their members' membership), then the devices and VMs.
    Devices in ``keep_ids`` (NetBox ids, e.g. the reference estate) are never touched. Returns how many
    devices and VMs were deleted.
    """
    wanted = None if librenms_ids is None else set(librenms_ids)
    keep = set(keep_ids)
    devices = [d for d in all_devices(nb) if d["id"] not in keep]
    chosen_vc_ids = set()
    doomed = set()
    for device in devices:
        ours = IMPORT_COMMENT in (device.get("comments") or "")
        device_id = librenms_id_of(device)
        if (wanted is None and ours) or (wanted is not None and device_id in wanted and ours):
            doomed.add(device["id"])
            if device.get("virtual_chassis"):
                chosen_vc_ids.add(device["virtual_chassis"]["id"])
    # stack members carry no librenms_id: they go with their chassis
    for device in devices:
        if (device.get("virtual_chassis") or {}).get("id") in chosen_vc_ids:
            doomed.add(device["id"])
    chassis = all_virtual_chassis(nb)
    vc_ids = {vc["id"] for vc in chassis
              if vc["id"] in chosen_vc_ids
              or (wanted is None and (vc.get("domain") or "").startswith(VC_DOMAIN_PREFIX))
              or (wanted is not None and (vc.get("domain") or "") in {f"librenms-default-{i}" for i in wanted})}
    vms = [vm["id"] for vm in all_vms(nb) if IMPORT_COMMENT in (vm.get("comments") or "")
           and (wanted is None or librenms_id_of(vm) in wanted)]
    _delete_attached(nb, doomed, vms)
    _delete(nb.dcim.virtual_chassis, vc_ids)
    _delete(nb.dcim.devices, doomed)
    _delete(nb.virtualization.virtual_machines, vms)
    return len(doomed) + len(vms)


def _delete_attached(nb, device_ids: Iterable[int], vm_ids: Iterable[int]) -> None:
    """Cables and addresses of doomed devices and VMs go first: NetBox keeps a cable whose end it deleted (with
    an empty side) and an address whose interface it deleted (unassigned), and either would meet a later sync."""
    for key, ids, endpoints in (("device_id", sorted(device_ids), (nb.dcim.cables, nb.ipam.ip_addresses)),
                                ("virtual_machine_id", sorted(vm_ids), (nb.ipam.ip_addresses,))):
        for start in range(0, len(ids), 50):
            for endpoint in endpoints:
                _delete(endpoint, [record.id for record in endpoint.filter(**{key: ids[start:start + 50]}, limit=1000)])


def remove_tagged(nb, tag: str = TAG) -> None:
    """Delete the objects this module created for itself (tagged), dependants first."""
    found = nb.extras.tags.get(slug=tag)
    if found is None:
        return
    for endpoint in (nb.dcim.devices, nb.virtualization.virtual_machines, nb.dcim.device_types, nb.dcim.platforms,
                     nb.dcim.manufacturers):
        ids = [record.id for record in endpoint.filter(tag=tag)]
        _delete(endpoint, ids)
    found.delete()


@contextmanager
def reference_estate(nb, seed: int, size: int) -> Iterator[Dict[str, Any]]:
    """The reference estate of netbox_estate on a NetBox without imported objects; at the end everything imported
    is deleted, then the estate. The serials and IPs of devices 24-31 come from the simulator's estate."""
    rows = {row["device_id"]: row for row in build_sim_estate(seed=seed, size=size).devices}
    wipe_imports(nb)
    estate = nbe.build_estate(nb, serials={i: rows[i]["serial"] for i in range(24, 32)},
                              ips={i: rows[i]["ip"] for i in range(24, 32)})
    try:
        yield estate
    finally:
        wipe_imports(nb)
        nbe.remove_estate(nb)


def without_redis(ansible_env: Dict[str, str], sim) -> Dict[str, str]:
    """The environment of runs against a private simulator, without Redis (NetBox is read afresh, never cached)."""
    variables = dict(ansible_env, LIBRENMS_URL=sim.url, LIBRENMS_TOKEN=sim.token)
    variables.pop("NETBOX_LIBRENMS_REDIS_URL", None)
    return variables
