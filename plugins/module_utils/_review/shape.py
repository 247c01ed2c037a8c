# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: how much of a search's rows librenms_device_filter returns (return_devices,
result_fields).

Ansible walks every value of a module's result for no_log values before it leaves the module, so thousands of
full rows cost the task more than the search itself. The shape applies to the module's return value only, after
the search: the cache, a background job's stored result and the report (report_path) keep every row in full.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.output import search_with_report
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import DeviceState

RETURN_DEVICES = ("all", "importable", "none")
# Importable now (ready) or once a role, a cluster or a virtual chassis master is chosen (needs_review).
IMPORTABLE_STATUSES = ("ready", "needs_review")
# The keys of a search row: a device's state, and the selection (the choices) the search applied to it.
ROW_KEYS: Tuple[str, ...] = (*DeviceState.__annotations__, "selection")


class ResultShape(NamedTuple):
    devices: str  # one of RETURN_DEVICES
    fields: Optional[Tuple[str, ...]]  # None: every key


FULL = ResultShape("all", None)


def result_shape(params: Options) -> ResultShape:
    """The shape return_devices and result_fields ask for; one error line for an unknown choice or key.

    result_fields unset or empty means every key; a key listed twice is returned once.
    """
    devices = params.get("return_devices") or "all"
    if devices not in RETURN_DEVICES:
        raise LibrenmsSyncError(f"return_devices must be one of {', '.join(RETURN_DEVICES)}, got {devices!r}")
    fields: Sequence[Any] = params.get("result_fields") or ()
    unknown = [str(field) for field in fields if field not in ROW_KEYS]
    if unknown:
        raise LibrenmsSyncError(f"result_fields: unknown key{'s' if len(unknown) > 1 else ''} "
                                f"{', '.join(repr(name) for name in unknown)}; valid keys are: {', '.join(ROW_KEYS)}")
    return ResultShape(devices, tuple(dict.fromkeys(fields)) if fields else None)


def shape_rows(rows: List[Dict[str, Any]], shape: ResultShape) -> Optional[List[Dict[str, Any]]]:
    """The rows to return, in their order (None with return_devices none); the rows given are left alone."""
    if shape.devices == "none":
        return None
    if shape.devices == "importable":
        rows = [row for row in rows if row.get("status") in IMPORTABLE_STATUSES]
    if shape.fields is None:
        return list(rows)
    return [{key: row[key] for key in shape.fields if key in row} for row in rows]


def shape_result(result: Dict[str, Any], shape: ResultShape) -> Dict[str, Any]:
    """The result with its devices shaped: absent with return_devices none, every other key as it was.

    A result without rows (a background job queued and not waited for) is returned as it is.
    """
    if "devices" not in result or shape == FULL:
        return result
    shaped = dict(result)
    rows = shape_rows(result["devices"], shape)
    if rows is None:
        del shaped["devices"]
    else:
        shaped["devices"] = rows
    return shaped


def search_shaped(params: Options, search: Callable[[Dict[str, Any]], Dict[str, Any]]) -> Dict[str, Any]:
    """search_with_report(params, search), its rows shaped for the module; a bad shape fails before the search."""
    shape = result_shape(params)
    return shape_result(search_with_report(params, search), shape)
