# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the notes (issues, review, warnings) and NetBox parts of one device's state.

device_state.build_device_state creates one DeviceNotes per device; a whole run's assessment is
_pipeline/assess.RunAssessment.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import (
    NETBOX_NAME_MAX,
    check_name_length,
    resolve_name,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_text
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    Match,
    match_cluster,
    match_device_type,
    match_rack,
    match_site,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    choose_master,
    member_name,
)

_KIND_WORDS = {"stack": "stack", "juniper_vc": "virtual chassis", "aruba_vsf": "VSF stack"}


class DeviceNotes:
    """What one build_device_state call reads, the parts it matches and the notes it writes, in three lists.

    issues block the import; review lists the choices a human still has to make; warnings inform.
    """

    def __init__(self, device: Dict[str, Any], index: Dict[str, Any], options: Options,
                 selection: Dict[str, Any]) -> None:
        self.device = device
        self.index = index
        self.options = options
        self.resolved = options["resolved"]
        self.selection = selection
        self.where = f"selections.{device['device_id']}"
        self.issues: List[str] = []
        self.review: List[str] = []
        self.warnings: List[str] = []

    def block(self, problem: Optional[str]) -> None:
        if problem:
            self.issues.append(problem)

    def chosen(self, key: str) -> Any:
        value = self.selection.get(key)
        return None if value in (None, "") else value

    def name(self) -> str:
        use_sysname = self.options.get("use_sysname")
        name = as_text(self.selection.get("name")) or resolve_name(
            self.device, use_sysname=True if use_sysname is None else bool(use_sysname),
            strip_domain=bool(self.options.get("strip_domain")))
        fits, suggestion = check_name_length(name)
        if not fits:
            self.block(f"name {name!r} is {len(name)} characters long and NetBox allows {NETBOX_NAME_MAX}: "
                       f"set {self.where}.name (for example {suggestion!r})")
        return name

    def vm_parts(self, role: Optional[Match], vc: Optional[Dict[str, Any]], known_cluster: Optional[int] = None
                 ) -> Dict[str, Any]:
        """The VM's cluster and role; known_cluster is the cluster of the NetBox VM the device already is."""
        chosen = self.chosen("cluster")
        cluster, problem = match_cluster(known_cluster if chosen is None else chosen, self.index)
        self.block(problem)
        if cluster is None and not problem:
            self.review.append(f"a VM needs a cluster: set {self.where}.cluster")
        if role and not self.index["roles"]["by_id"].get(role["id"], {}).get("vm_role", True):
            # NetBox refuses such a role on a VM: an explicit choice blocks, a default is dropped.
            message = f"role {role['name']!r} does not allow virtual machines (vm_role is off)"
            if role["matched_by"] == "selection":
                self.block(message)
            else:
                self.warnings.append(message + "; the VM is imported without a role")
                role = None
        if self.chosen("rack") is not None:
            self.warnings.append(f"{self.where}.rack is ignored for a VM")
        if vc:
            self.warnings.append(f"the {vc.get('kind')} detected in the inventory is not created for a VM")
        return {"cluster": cluster, "role": role}

    def device_parts(self, name: str, role: Optional[Match], vc: Optional[Dict[str, Any]],
                     chassis_model: Optional[str]) -> Dict[str, Any]:
        location = self.device.get("location")
        site = match_site(location, self.index, self.resolved)
        if site is None:
            self.block(f"no NetBox site matches location {location!r}: add it to site_map" if location else
                       "LibreNMS gives no location for this device, so no site can be matched")
        virtual_chassis, master_model = self.chassis(name, vc)
        device_type, problem = match_device_type(self.device.get("hardware"), self.index, self.resolved,
                                                 master_model or chassis_model)
        self.block(problem)
        rack, problem = match_rack(self.chosen("rack"), site, self.index)
        self.block(problem)
        if role is None:
            self.review.append(f"no role: set role, add a role_rules entry or set {self.where}.role")
        if self.chosen("cluster") is not None:
            self.warnings.append(f"{self.where}.cluster is only used with as_vm: true")
        return {"site": site, "device_type": device_type, "rack": rack, "virtual_chassis": virtual_chassis}

    def chassis(self, name: str, vc: Optional[Dict[str, Any]]) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
        """(virtual_chassis for the state, the master's model) for a stack of two or more members."""
        if not vc or len(vc.get("members") or ()) < 2:
            return None, None
        try:
            vc = choose_master(vc, self.chosen("vc_master"))
        except LibrenmsSyncError as exc:
            self.block(f"{self.where}.vc_master: {exc.msg}")
        if vc["master_position"] is None and self.chosen("vc_master") is None:
            serials = ", ".join(f"{member['serial'] or 'no serial'} (position {member['position']})"
                                for member in vc["members"])
            self.review.append(
                f"cannot tell which {_KIND_WORDS.get(vc['kind'], vc['kind'])} member is this LibreNMS device: "
                f"no member serial ({serials}) "
                f"equals the device serial {self.device.get('serial')!r}; set {self.where}.vc_master "
                "to a serial or a position")
        members = []
        for member in vc["members"]:
            try:
                netbox_name: Optional[str] = member_name(
                    self.options.get("vc_member_name_pattern"), name, member["position"], member["serial"])
            except LibrenmsSyncError as exc:
                self.block(exc.msg)
                netbox_name = None
            if netbox_name and len(netbox_name) > NETBOX_NAME_MAX:
                self.block(f"member name {netbox_name!r} is longer than {NETBOX_NAME_MAX} characters: "
                           "shorten the name or vc_member_name_pattern")
            members.append({"position": member["position"], "serial": member["serial"], "model": member["model"],
                            "name": netbox_name, "is_master": member["is_master"]})
        names = [member["name"].lower() for member in members if member["name"]]
        if len(set(names)) != len(names):
            self.block(f"vc_member_name_pattern gives two members the same name: {', '.join(sorted(names))}")
        state = {"kind": vc["kind"], "members": members, "master_position": vc["master_position"]}
        return state, vc.get("chassis_model")
