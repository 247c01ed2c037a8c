# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the import state of one LibreNMS device, and the statuses of a run."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import (
    NETBOX_NAME_MAX,
    check_name_length,
    resolve_name,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_bool, as_text
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import find_existing
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    SELECTION_KEYS,
    match_cluster,
    match_device_type,
    match_platform,
    match_rack,
    match_role,
    match_site,
    validate_maps,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    choose_master,
    member_name,
)

Match = Dict[str, Any]
STATUSES = ("ready", "needs_review", "blocked", "exists", "conflict")
_KIND_WORDS = {"stack": "stack", "juniper_vc": "virtual chassis", "aruba_vsf": "VSF stack"}


def selection_for(device: Dict[str, Any], selections: Optional[Dict[Any, Any]]) -> Dict[str, Any]:
    """The user's choices for one device, keyed by its LibreNMS id (int or text) or its hostname.

    The id wins when both keys are present. Ansible turns YAML int keys into text, hence both.
    """
    if not selections:
        return {}
    for key in (device["device_id"], str(device["device_id"])):
        if key in selections:
            return dict(selections[key] or {})
    hostname = (device.get("hostname") or "").lower()
    for key, choice in selections.items():
        if hostname and isinstance(key, str) and key.strip().lower() == hostname:
            return dict(choice or {})
    return {}


class _Assessment:
    """The inputs one build_device_state call reads and the notes it writes, in three lists.

    issues block the import; review lists the choices a human still has to make; warnings inform.
    """

    def __init__(self, device: Dict[str, Any], index: Dict[str, Any], options: Dict[str, Any],
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

    def vm_parts(self, role: Optional[Match], vc: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        cluster, problem = match_cluster(self.chosen("cluster"), self.index)
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


def build_device_state(device: Dict[str, Any], index: Dict[str, Any], existing_index: Dict[str, Any],
                       options: Dict[str, Any], selection: Optional[Dict[str, Any]] = None, *,
                       vc: Optional[Dict[str, Any]] = None, chassis_model: Optional[str] = None) -> Dict[str, Any]:
    """Everything known about importing one canonical device, with its status.

    ``options`` should come from validate_maps (validated here otherwise, on every call);
    ``vc`` from detect_virtual_chassis; ``chassis_model`` from the inventory of a standalone device.
    """
    if "resolved" not in options:
        options = validate_maps(options, index)
    selection = dict(selection or {})
    unknown = sorted(str(key) for key in selection if key not in SELECTION_KEYS)
    if unknown:
        raise LibrenmsSyncError(
            f"Unknown selection key {', '.join(unknown)}; valid keys are: {', '.join(SELECTION_KEYS)}")
    notes = _Assessment(device, index, options, selection)
    name = notes.name()
    as_vm = as_bool(selection.get("as_vm"))
    role, problem = match_role(device, index, options["resolved"], notes.chosen("role"))
    notes.block(problem)
    platform = match_platform(device.get("os"), index, options["resolved"])
    if platform is None:
        notes.warnings.append(f"no NetBox platform matches os {device.get('os')!r}; add it to platform_map")
    parts: Dict[str, Any] = {"site": None, "device_type": None, "rack": None, "cluster": None, "role": role,
                             "virtual_chassis": None}
    parts.update(notes.vm_parts(role, vc) if as_vm else notes.device_parts(name, role, vc, chassis_model))
    existing = find_existing(device, name, existing_index, server_key_of(options))
    if existing and existing["conflict"]:
        status = "conflict"
    elif existing:
        status = "exists"
    else:
        status = "blocked" if notes.issues else "needs_review" if notes.review else "ready"
    return {
        "status": status, "device_id": device["device_id"], "hostname": device.get("hostname"),
        "sysname": device.get("sysname"), "name": name, "import_as": "vm" if as_vm else "device",
        "issues": notes.issues, "review": notes.review, "warnings": notes.warnings,
        "site": parts["site"], "device_type": parts["device_type"], "platform": platform, "role": parts["role"],
        "rack": parts["rack"], "cluster": parts["cluster"], "existing": existing,
        "virtual_chassis": parts["virtual_chassis"],
        "os": device.get("os"), "hardware": device.get("hardware"), "serial": device.get("serial"),
        "ip": device.get("ip"), "location": device.get("location"), "type": device.get("type"),
        "librenms_status": bool(device.get("status")), "disabled": bool(device.get("disabled")),
        "ignore": bool(device.get("ignore")),
    }


def merge_choice(selection: Optional[Dict[str, Any]], role: Any = None, cluster: Any = None,
                 rack: Any = None) -> Dict[str, Any]:
    """A new selection with the given choices; choosing a cluster makes the device a VM import."""
    merged = dict(selection or {})
    for key, value in (("role", role), ("cluster", cluster), ("rack", rack)):
        if value not in (None, ""):
            merged[key] = value
    if cluster not in (None, ""):
        merged["as_vm"] = True
    return merged


def apply_choice(device: Dict[str, Any], index: Dict[str, Any], existing_index: Dict[str, Any],
                 options: Dict[str, Any], selection: Optional[Dict[str, Any]] = None, *,
                 vc: Optional[Dict[str, Any]] = None, chassis_model: Optional[str] = None,
                 role: Any = None, cluster: Any = None, rack: Any = None) -> Dict[str, Any]:
    """The state recomputed after a role, cluster or rack choice, through the very same rules."""
    return build_device_state(device, index, existing_index, options,
                              merge_choice(selection, role=role, cluster=cluster, rack=rack),
                              vc=vc, chassis_model=chassis_model)


def mark_duplicate_names(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Copies of the states where candidates sharing a name in one site (one cluster for VMs) are blocked.

    NetBox names are unique per site for devices and per cluster for VMs, case-insensitively.
    """
    groups: Dict[Tuple[str, Any, str], List[int]] = {}
    for position, state in enumerate(states):
        scope = state.get("cluster") if state["import_as"] == "vm" else state.get("site")
        if state["status"] in ("exists", "conflict") or not scope:
            continue
        groups.setdefault((state["import_as"], scope["id"], state["name"].lower()), []).append(position)
    marked = [dict(state) for state in states]
    for positions in groups.values():
        if len(positions) < 2:
            continue
        ids = ", ".join(str(states[position]["device_id"]) for position in positions)
        for position in positions:
            others = ", ".join(f"{states[other]['device_id']} ({states[other]['hostname']})"
                               for other in positions if other != position)
            state = marked[position]
            in_cluster = state["import_as"] == "vm"
            scope = f"cluster {state['cluster']['name']!r}" if in_cluster else f"site {state['site']['name']!r}"
            state["issues"] = [
                *state["issues"],
                f"name {state['name']!r} is also the name of LibreNMS device {others} in {scope}: give all but "
                f"one of them another name with selections.<id>.name (ids {ids})",
            ]
            state["status"] = "blocked"
    return marked


def status_counts(items: Iterable[Mapping[str, Any]]) -> Dict[str, int]:
    """How many device states (or report rows) have each status, in the order of STATUSES, and the total."""
    counts = {status: 0 for status in STATUSES}
    total = 0
    for item in items:
        counts[item["status"]] = counts.get(item["status"], 0) + 1
        total += 1
    counts["total"] = total
    return counts


def sort_states(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """States ordered by name (case-insensitive), then LibreNMS id, for stable output."""
    return sorted(states, key=lambda state: (state["name"].lower(), state["device_id"]))
