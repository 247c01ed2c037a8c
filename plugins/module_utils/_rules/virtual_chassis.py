# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: stacks and virtual chassis read from a device's inventory rows."""

from __future__ import annotations

import re
import string
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import as_int
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_inventory

DEFAULT_MEMBER_NAME_PATTERN = "-M{position}"
MEMBER_NAME_PLACEHOLDERS = ("position", "serial", "master_name")

# The member number in entPhysicalName ("1", "Switch 1", "Switch 1 Chassis", "Chassis 2")
# agrees with interface names (Gi2/0/1); entPhysicalParentRelPos does not on every model.
_NAME_NUMBER = re.compile(r"\b(?:switch|chassis|member|unit)\s*[-:#]?\s*(\d{1,3})\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_JUNIPER_FPC = re.compile(r"^\s*FPC:\s*(?P<model>.*?)\s*@\s*(?P<slot>\d+)\s*/", re.IGNORECASE)
_JUNIPER_PART_NUMBER = re.compile(r"^\d{3}-\d{5,6}(?:-[A-Z0-9]+)?$", re.IGNORECASE)
# A Juniper model: family letters, then the number (EX4300-48T, QFX5120, MX204, PTX10008, SRX345, ACX7100).
_JUNIPER_MODEL_NUMBER = re.compile(r"\b(EX|QFX|MX|PTX|ACX|SRX|M|T)(\d{2,5})", re.IGNORECASE)
_ARUBA_CHASSIS_NAME = re.compile(r"^\s*chassis\b", re.IGNORECASE)
# Values some agents put in entPhysicalModelName when they have no model.
_NO_MODEL = frozenset(("-", "unspecified", "builtin", "none", "n/a"))
# Junos EVO reports class "0" on every row: as unknown as a null class.
_UNKNOWN_CLASSES = (None, "0")


def _model(value: Optional[str]) -> Optional[str]:
    return value if value and value.strip().lower() not in _NO_MODEL else None


def _name_number(name: Optional[str]) -> Optional[int]:
    if not name:
        return None
    found = _BARE_NUMBER.match(name) or _NAME_NUMBER.search(name)
    return int(found.group(1)) if found else None


def _consistent_positions(values: Sequence[Optional[int]]) -> Optional[List[int]]:
    """1-based positions when every value is known and distinct; a 0-based set is shifted by one."""
    known = [value for value in values if value is not None]
    if not known or len(known) != len(values) or len(set(known)) != len(known):
        return None
    shift = 1 if min(known) == 0 else 0
    return [value + shift for value in known]


def _member(row: Dict[str, Any], position: int, model: Optional[str]) -> Dict[str, Any]:
    return {"position": position, "serial": row.get("serial"), "model": model, "is_master": False,
            "name": row.get("name")}


def _stack_members(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    positions = (
        _consistent_positions([_name_number(row.get("name")) for row in rows])
        or _consistent_positions([row.get("parent_rel_pos") for row in rows])
        or list(range(1, len(rows) + 1))
    )
    return [_member(row, position, _model(row.get("model_name"))) for row, position in zip(rows, positions)]


def _cisco_style(rows: List[Dict[str, Any]]) -> Optional[Tuple[str, List[Dict[str, Any]]]]:
    roots = [row for row in rows if row.get("contained_in") == 0 and row.get("class") in ("stack", "chassis")]
    if not roots:
        return None
    root = next((row for row in roots if row.get("class") == "stack"), roots[0])
    if root.get("index") is None:
        return None
    chassis = [
        row for row in rows
        if row is not root and row.get("class") == "chassis" and row.get("contained_in") == root.get("index")
    ]
    return ("stack", _stack_members(chassis)) if len(chassis) >= 2 else None


def _juniper_model(row: Dict[str, Any], descr_model: Optional[str]) -> Optional[str]:
    model_name = _model(row.get("model_name"))
    if model_name and not _JUNIPER_PART_NUMBER.match(model_name):
        return model_name
    # JUNIPER-MIB puts a part number (650-064381) where the model should be; the descr has it.
    return _model(descr_model) or model_name


def _juniper_switch_family(text: Optional[str]) -> Optional[bool]:
    """True for a model of a virtual chassis family, False for any other Juniper model, None when none is named.

    Only fixed EX and QFX switches form virtual chassis of FPC members; the FPC rows of MX, PTX, ACX, SRX, M and T
    routers and of modular switches (EX6200/8200/9200, QFX10000) are line cards.
    """
    found = _JUNIPER_MODEL_NUMBER.search(text or "")
    if not found:
        return None
    family, number = found.group(1).upper(), int(found.group(2))
    return (family == "EX" and number < 6000) or (family == "QFX" and number < 10000)


def _fpcs_are_members(hardware: Optional[str], rows: List[Dict[str, Any]], fpc_models: List[Optional[str]]) -> bool:
    """Whether a Juniper device's FPC rows are virtual chassis members rather than line cards.

    The device's own model decides: LibreNMS' hardware, else the jnxChassis row. When neither names one, every FPC
    must name a virtual chassis model itself (an EX VC's FPC rows carry the member's model; a line card's do not).
    """
    chassis_rows = [row for row in rows if (row.get("vendor_type") or "") == "jnxChassis"]
    for text in [hardware] + [row.get(field) for row in chassis_rows for field in ("descr", "name", "model_name")]:
        family = _juniper_switch_family(text)
        if family is not None:
            return family
    return all(_juniper_switch_family(model) for model in fpc_models)


def _juniper_vc(rows: List[Dict[str, Any]], hardware: Optional[str]) -> Optional[Tuple[str, List[Dict[str, Any]]]]:
    fpcs = [row for row in rows if (row.get("vendor_type") or "").upper() == "FPC"]
    if len(fpcs) < 2:
        return None
    slots: List[Optional[int]] = []
    models: List[Optional[str]] = []
    for row in fpcs:
        found = _JUNIPER_FPC.match(row.get("descr") or "") or _JUNIPER_FPC.match(row.get("name") or "")
        index = row.get("index")
        if found:
            slots.append(int(found.group("slot")) + 1)
        elif isinstance(index, int) and index >= 1000000:
            slots.append(index // 1000000)  # index is (slot + 1) * 1000000 + 7
        else:
            slots.append(None)
        models.append(_juniper_model(row, found.group("model") if found else None))
    if not _fpcs_are_members(hardware, rows, models):
        return None
    positions = _consistent_positions(slots) or list(range(1, len(fpcs) + 1))
    return "juniper_vc", [_member(row, pos, model) for row, pos, model in zip(fpcs, positions, models)]


def _aruba_vsf(rows: List[Dict[str, Any]]) -> Optional[Tuple[str, List[Dict[str, Any]]]]:
    top = [row for row in rows if row.get("contained_in") == 0 and row.get("class") in _UNKNOWN_CLASSES]
    if not any((row.get("name") or "").strip().lower() == "stack" for row in top):
        return None
    chassis = [row for row in top if _ARUBA_CHASSIS_NAME.match(row.get("name") or "")]
    return ("aruba_vsf", _stack_members(chassis)) if len(chassis) >= 2 else None


def _with_master(kind: str, members: List[Dict[str, Any]], device_serial: Optional[str]) -> Dict[str, Any]:
    members = sorted(members, key=lambda member: member["position"])
    wanted = (device_serial or "").strip().lower()
    matching = [member for member in members if wanted and (member["serial"] or "").lower() == wanted]
    # Two members with the device serial is as unknown as none: the master is never guessed.
    master = matching[0] if len(matching) == 1 else None
    for member in members:
        member["is_master"] = member is master
    return {
        "kind": kind,
        "members": members,
        "master_position": master["position"] if master else None,
        "chassis_model": master["model"] if master else None,
    }


def detect_virtual_chassis(device: Dict[str, Any], inventory_rows: Any) -> Optional[Dict[str, Any]]:
    """A stack or virtual chassis of two or more members found in the inventory, else None.

    Returns {"kind": "stack" | "juniper_vc" | "aruba_vsf", "members": [{"position", "serial",
    "model", "is_master", "name"}] sorted by position, "master_position", "chassis_model"}.
    """
    rows = normalize_inventory(inventory_rows)  # idempotent: raw API rows work too
    found = _cisco_style(rows) or _juniper_vc(rows, device.get("hardware")) or _aruba_vsf(rows)
    if found is None:
        return None
    kind, members = found
    return _with_master(kind, members, device.get("serial"))


def chassis_model(inventory_rows: Any) -> Optional[str]:
    """The model of the root chassis row, to try against NetBox device types when hardware fails."""
    for row in normalize_inventory(inventory_rows):
        if row["class"] == "chassis" and row["contained_in"] == 0:
            return _model(row.get("model_name"))
    return None


def _pattern_fields(pattern: str) -> List[str]:
    try:
        return [parts[1] for parts in string.Formatter().parse(pattern) if parts[1] is not None]
    except ValueError as exc:
        raise LibrenmsSyncError(f"vc_member_name_pattern {pattern!r} is not a valid pattern: {exc}") from exc


def validate_member_name_pattern(pattern: Optional[str]) -> str:
    """The pattern to use (the default for None); LibrenmsSyncError when it cannot name members apart."""
    if pattern is None:
        return DEFAULT_MEMBER_NAME_PATTERN
    if not isinstance(pattern, str) or not pattern.strip():
        raise LibrenmsSyncError("vc_member_name_pattern must be a non-empty string")
    fields = _pattern_fields(pattern)
    unknown = sorted({"{" + field + "}" for field in fields if field not in MEMBER_NAME_PLACEHOLDERS})
    if unknown:
        valid = ", ".join("{" + name + "}" for name in MEMBER_NAME_PLACEHOLDERS)
        raise LibrenmsSyncError(
            f"vc_member_name_pattern {pattern!r} uses unknown placeholder {', '.join(unknown)}; "
            f"valid placeholders are: {valid}"
        )
    if "position" not in fields and "serial" not in fields:
        raise LibrenmsSyncError(
            f"vc_member_name_pattern {pattern!r} must contain {{position}} or {{serial}} so members get "
            "different names"
        )
    return pattern


def member_name(pattern: Optional[str], master_name: str, position: int, serial: Optional[str]) -> str:
    """The NetBox name of one member.

    A pattern without {master_name} is appended to the master name ("-M{position}" gives
    "sw1-M2", as the NetBox plugin does); a pattern with it is the whole name.
    """
    pattern = validate_member_name_pattern(pattern)
    fields = _pattern_fields(pattern)
    if "serial" in fields and not serial:
        raise LibrenmsSyncError(
            f"vc_member_name_pattern {pattern!r} needs a serial, but the member at position {position} has none"
        )
    try:
        text = pattern.format(position=position, serial=serial or "", master_name=master_name)
    except (ValueError, KeyError, IndexError) as exc:
        raise LibrenmsSyncError(f"vc_member_name_pattern {pattern!r} cannot be applied: {exc}") from exc
    return text if "master_name" in fields else master_name + text


def choose_master(vc: Dict[str, Any], vc_master: Any) -> Dict[str, Any]:
    """A copy of vc whose master is the member the user named by serial or by position.

    A digit string is a position when a member has that position, else a serial; when it is
    both (for different members) the choice is ambiguous and refused.
    """
    members = [dict(member) for member in vc["members"]]
    text = "" if vc_master is None or isinstance(vc_master, bool) else str(vc_master).strip()
    if not text:
        return dict(vc, members=members)
    position = as_int(vc_master)
    chosen = {
        member["position"]: member
        for member in members
        if member["position"] == position or (member["serial"] or "").lower() == text.lower()
    }
    described = ", ".join(f"position {member['position']} serial {member['serial'] or 'unknown'}" for member in members)
    if len(chosen) != 1:
        reason = "matches no member" if not chosen else "matches more than one member"
        raise LibrenmsSyncError(
            f"vc_master {vc_master!r} {reason} (members: {described}); give a member's serial or position",
            {"members": [{"position": m["position"], "serial": m["serial"]} for m in members]},
        )
    master = next(iter(chosen.values()))
    for member in members:
        member["is_master"] = member is master
    return dict(vc, members=members, master_position=master["position"], chassis_model=master["model"])
