# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: matching a LibreNMS device to the NetBox objects it would be created with."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple, TypedDict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import (
    LibrenmsSyncError,
    problems_error,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import fold
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    validate_member_name_pattern,
)

ROLE_RULE_KEYS = ("os", "type", "hardware", "hostname", "sysname", "location")
SELECTION_KEYS = ("name", "role", "rack", "as_vm", "cluster", "vc_master")
_KINDS = ("sites", "locations", "device_types", "manufacturers", "platforms", "roles", "racks", "clusters")
_LABELS = {"sites": "site", "device_types": "device type", "platforms": "platform", "roles": "role",
           "racks": "rack", "clusters": "cluster"}


class Match(TypedDict):
    """A NetBox object a rule matched, and which rule matched it."""

    id: int
    name: Optional[str]
    matched_by: str  # "name", "slug", "site_map", "selection", "role_rules[0]", ...


Outcome = Tuple[Optional[Match], Optional[str]]


def _table(rows: List[Dict[str, Any]], field: str) -> Dict[str, List[Dict[str, Any]]]:
    table: Dict[str, List[Dict[str, Any]]] = {}
    for row in rows:
        if fold(row.get(field)):
            table.setdefault(fold(row.get(field)), []).append(row)
    return table


def build_reference_index(reference: Dict[str, Any]) -> Dict[str, Any]:
    """Lower-cased lookups over NetBox reference data, built once so matching stays linear."""
    index: Dict[str, Any] = {}
    for kind in _KINDS:
        rows = [row for row in (reference or {}).get(kind) or () if isinstance(row, dict) and "id" in row]
        index[kind] = {
            "by_id": {row["id"]: row for row in rows},
            "by_name": _table(rows, "model" if kind == "device_types" else "name"),
            "by_slug": _table(rows, "slug"),
            "by_part_number": _table(rows, "part_number"),
        }
    return index


def _label(kind: str, obj: Dict[str, Any]) -> str:
    if kind == "device_types":
        return f"{(obj.get('manufacturer') or {}).get('name', '?')} {obj.get('model')} (id {obj['id']})"
    return f"{obj.get('name')} (id {obj['id']})"


def _match(kind: str, obj: Dict[str, Any], matched_by: str) -> Match:
    name = obj.get("model") if kind == "device_types" else obj.get("name")
    return {"id": obj["id"], "name": name, "matched_by": matched_by}


def find_reference(index: Dict[str, Any], kind: str, ref: Any) -> List[Dict[str, Any]]:
    """The NetBox objects a user reference names: an id, else a slug, a name (model) or a part number."""
    tables = index[kind]
    if isinstance(ref, int) and not isinstance(ref, bool):
        return [tables["by_id"][ref]] if ref in tables["by_id"] else []
    key = fold(ref)
    for table in ("by_slug", "by_name", "by_part_number"):
        if tables[table].get(key):
            return list({obj["id"]: obj for obj in tables[table][key]}.values())
    number = as_int(ref)
    return [tables["by_id"][number]] if number in tables["by_id"] else []


def _resolve_one(index: Dict[str, Any], kind: str, ref: Any, where: str) -> Tuple[Optional[Dict[str, Any]], str]:
    found = find_reference(index, kind, ref)
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"{where} names {_LABELS[kind]} {ref!r}, which does not exist in NetBox"
    labels = ", ".join(_label(kind, obj) for obj in found)
    return None, f"{where} names {ref!r}, which matches {len(found)} NetBox {_LABELS[kind]}s: {labels}; use an id"


def _compile_rule(number: int, rule: Any, problems: List[str]) -> Optional[Dict[str, Any]]:
    where = f"role_rules[{number}]"
    if not isinstance(rule, dict) or not isinstance(rule.get("match"), dict) or not rule["match"]:
        problems.append(f"{where} needs a non-empty 'match' mapping and a 'role'")
        return None
    compiled = {}
    for key, pattern in rule["match"].items():
        if key not in ROLE_RULE_KEYS:
            problems.append(f"{where} matches on {key!r}; valid keys are: {', '.join(ROLE_RULE_KEYS)}")
            continue
        try:
            compiled[key] = re.compile(str(pattern), re.IGNORECASE)
        except re.error as exc:
            problems.append(f"{where} has an invalid regular expression {pattern!r} for {key!r}: {exc}")
    return {"index": number, "match": compiled}


# The flag values Ansible's own booleans accept; anything else for as_vm is refused, never read as false.
_FLAG_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "y", "n", "1", "0"))


def _is_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return value in (0, 1)
    return isinstance(value, str) and value.strip().lower() in _FLAG_WORDS


def selection_shape_problems(selections: Any) -> List[str]:
    """What is wrong with the selections' shape, without NetBox: not a mapping, unknown keys, a non-boolean as_vm.

    Pure, so a task checks it before it queues a job; validate_maps reports the same problems with the rest.
    """
    if not isinstance(selections, dict):
        return ["selections must be a mapping of LibreNMS device id or hostname to choices"]
    problems = []
    for device_key, choice in selections.items():
        where = f"selections.{device_key}"
        if not isinstance(choice, dict):
            problems.append(f"{where} must be a mapping")
            continue
        for unknown in sorted(str(key) for key in choice if key not in SELECTION_KEYS):
            problems.append(f"{where} has unknown key {unknown!r}; valid keys are: {', '.join(SELECTION_KEYS)}")
        if choice.get("as_vm") is not None and not _is_flag(choice["as_vm"]):
            problems.append(f"{where}.as_vm must be true or false, got {repr(choice['as_vm'])[:80]}")
    return problems


def check_selection_shapes(selections: Any) -> None:
    """Raise one LibrenmsSyncError listing selection_shape_problems, if any."""
    problems = selection_shape_problems(selections or {})
    if problems:
        raise problems_error("Invalid options: ", problems)


def _check_selections(selections: Any, index: Dict[str, Any], problems: List[str]) -> None:
    problems.extend(selection_shape_problems(selections))
    if not isinstance(selections, dict):
        return
    for device_key, choice in selections.items():
        where = f"selections.{device_key}"
        if not isinstance(choice, dict):
            continue
        for key, kind in (("role", "roles"), ("cluster", "clusters")):
            if choice.get(key) not in (None, ""):
                problems.append(_resolve_one(index, kind, choice[key], f"{where}.{key}")[1])
        if choice.get("rack") not in (None, "") and not find_reference(index, "racks", choice["rack"]):
            problems.append(f"{where}.rack names rack {choice['rack']!r}, which does not exist in NetBox")


def validate_maps(options: Options, index: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of options with a "resolved" entry: maps and rules checked against NetBox and compiled.

    Raises one LibrenmsSyncError listing every problem (the map, the key and the missing object).
    Pass the returned options to build_device_state so this is done once per run.
    """
    problems: List[str] = []
    resolved: Dict[str, Any] = {"site_map": {}, "device_type_map": {}, "platform_map": {}, "role": None,
                                "role_rules": []}
    for map_name, kind in (("site_map", "sites"), ("device_type_map", "device_types"), ("platform_map", "platforms")):
        mapping = options.get(map_name) or {}
        if not isinstance(mapping, dict):
            problems.append(f"{map_name} must be a mapping")
            continue
        for key, target in mapping.items():
            obj, problem = _resolve_one(index, kind, target, f"{map_name}[{key!r}]")
            problems.append(problem)
            if obj is not None:
                resolved[map_name][fold(key)] = _match(kind, obj, map_name)
    if options.get("role") not in (None, ""):
        obj, problem = _resolve_one(index, "roles", options["role"], "role")
        problems.append(problem)
        resolved["role"] = _match("roles", obj, "role") if obj else None
    for number, rule in enumerate(options.get("role_rules") or ()):
        compiled = _compile_rule(number, rule, problems)
        if compiled is not None:
            obj, problem = _resolve_one(index, "roles", rule.get("role"), f"role_rules[{number}].role")
            problems.append(problem)
            compiled["role"] = _match("roles", obj, f"role_rules[{number}]") if obj else None
            resolved["role_rules"].append(compiled)
    _check_selections(options.get("selections") or {}, index, problems)
    try:
        validate_member_name_pattern(options.get("vc_member_name_pattern"))
    except LibrenmsSyncError as exc:
        problems.append(exc.msg)
    problems = [problem for problem in problems if problem]
    if problems:
        raise problems_error("Invalid options: ", problems)
    return dict(options, resolved=resolved)


def _mapped_or_named(kind: str, map_name: str, value: Optional[str], index: Dict[str, Any],
                     resolved: Dict[str, Any]) -> Optional[Match]:
    """resolved[map_name][value], then the one object of `kind` whose name or slug equals the value."""
    key = fold(value)
    if key in resolved[map_name]:
        return resolved[map_name][key]
    for table, matched_by in (("by_name", "name"), ("by_slug", "slug")):
        found = index[kind][table].get(key, []) if key else []
        if len(found) == 1:
            return _match(kind, found[0], matched_by)
    return None


def match_site(location: Optional[str], index: Dict[str, Any], resolved: Dict[str, Any]) -> Optional[Match]:
    """site_map[location], then the site whose name or slug equals the location."""
    return _mapped_or_named("sites", "site_map", location, index, resolved)


def match_device_type(hardware: Optional[str], index: Dict[str, Any], resolved: Dict[str, Any],
                      chassis_model: Optional[str] = None) -> Outcome:
    """device_type_map, then part number, then model: for hardware, then for the inventory's chassis model.

    Two or more device types with that part number or model block the device (fail closed).
    """
    for prefix, value in (("", hardware), ("chassis_", chassis_model)):
        key = fold(value)
        if not key:
            continue
        if key in resolved["device_type_map"]:
            return dict(resolved["device_type_map"][key], matched_by=prefix + "device_type_map"), None
        for field, table in (("part_number", "by_part_number"), ("model", "by_name")):
            found = index["device_types"][table].get(key, [])
            if len(found) == 1:
                return _match("device_types", found[0], prefix + field), None
            if found:
                labels = ", ".join(_label("device_types", obj) for obj in found)
                what = "chassis model" if prefix else "hardware"
                return None, (f"{what} {value!r} matches {len(found)} NetBox device types by "
                              f"{field.replace('_', ' ')}: {labels}; map it in device_type_map")
    # The chassis model often repeats the hardware string: name each candidate once.
    tried_values = {fold(value): value for value in (hardware, chassis_model) if fold(value)}  # each one once
    tried = " or ".join(repr(value) for value in tried_values.values())
    if not tried:
        return None, "LibreNMS reports no hardware for this device, so no device type can be matched"
    return None, f"no NetBox device type has part number or model {tried}; add it to device_type_map"


def match_platform(os_name: Optional[str], index: Dict[str, Any], resolved: Dict[str, Any]) -> Optional[Match]:
    """platform_map[os], then the platform whose name or slug equals the os."""
    return _mapped_or_named("platforms", "platform_map", os_name, index, resolved)


def match_role(device: Dict[str, Any], index: Dict[str, Any], resolved: Dict[str, Any],
               selected: Any = None) -> Outcome:
    """The selected role, else the first role rule whose every regex finds its field, else the default."""
    if selected not in (None, ""):
        obj, problem = _resolve_one(index, "roles", selected, "the selected role")
        return (_match("roles", obj, "selection"), None) if obj else (None, problem)
    for rule in resolved["role_rules"]:
        if rule["role"] and all(pattern.search(str(device.get(key) or "")) for key, pattern in rule["match"].items()):
            return rule["role"], None
    return resolved["role"], None


def _site_of(rack: Dict[str, Any]) -> Dict[str, Any]:
    site = rack.get("site")
    return site if isinstance(site, dict) else {"id": site, "name": site}


def match_rack(ref: Any, site: Optional[Match], index: Dict[str, Any]) -> Outcome:
    """The selected rack (name or id), which must stand in the device's site."""
    if ref in (None, ""):
        return None, None
    found = find_reference(index, "racks", ref)
    if not found:
        return None, f"rack {ref!r} does not exist in NetBox"
    if site is None:
        return None, f"rack {ref!r} cannot be checked: the device has no site"
    in_site = [rack for rack in found if _site_of(rack).get("id") == site["id"]]
    if len(in_site) == 1:
        return _match("racks", in_site[0], "selection"), None
    if in_site:
        return None, f"rack {ref!r} matches {len(in_site)} racks in site {site['name']!r}; use its id"
    elsewhere = ", ".join(sorted({f"site {_site_of(rack).get('name')!r}" for rack in found}))
    return None, f"rack {ref!r} is not in site {site['name']!r} (it is in {elsewhere})"


def match_cluster(ref: Any, index: Dict[str, Any]) -> Outcome:
    """The selected cluster, by name or id."""
    if ref in (None, ""):
        return None, None
    obj, problem = _resolve_one(index, "clusters", ref, "the selected cluster")
    return (_match("clusters", obj, "selection"), None) if obj else (None, problem)
