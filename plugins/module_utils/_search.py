# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: search LibreNMS and validate the candidates against NetBox.

The one place that sequences the I/O (LibreNMS list, NetBox bulk reads, inventory calls) around the pure
rules, so that the filter module, the import and the background jobs all run the same path.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._connection import librenms_client, netbox_access
from ansible_collections.netbox_librenms.sync.plugins.module_utils._device_state import (
    build_device_state,
    mark_duplicate_names,
    selection_for,
    sort_states,
    summarize,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._existing import build_existing_index, find_existing
from ansible_collections.netbox_librenms.sync.plugins.module_utils._filters import (
    choose_api_query,
    select_devices,
    validate_search,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._matching import (
    build_reference_index,
    validate_maps,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._naming import resolve_name
from ansible_collections.netbox_librenms.sync.plugins.module_utils._virtual_chassis import (
    chassis_model,
    detect_virtual_chassis,
)

Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, processed: int, total: int) -> None:
    """Synchronous runs report nothing; jobs pass a callback that writes the job's meta."""


def run_search(params: Dict[str, Any], progress: Optional[Progress] = None) -> Dict[str, Any]:
    """Build the clients from module params (or a job's options) and search."""
    librenms = librenms_client(params)
    netbox = netbox_access(params)
    try:
        return search(params, librenms, netbox, progress)
    finally:
        librenms.close()


def search(params: Dict[str, Any], librenms, netbox, progress: Optional[Progress] = None) -> Dict[str, Any]:
    progress = progress or _no_progress
    server_key = params.get("server_key") or "default"
    filters = validate_search(_given(params.get("filters")), bool(params.get("all_devices")))

    api_type, query = choose_api_query(filters)
    listed = librenms.list_devices(api_type, query)
    candidates = select_devices(
        listed, filters, show_disabled=bool(params.get("show_disabled")), show_ignored=bool(params.get("show_ignored"))
    )

    index = build_reference_index(netbox.reference_data())
    options = validate_maps(dict(params, server_key=server_key), index)
    existing = netbox.existing_objects()
    existing_index = build_existing_index(existing["devices"], existing["vms"], server_key)
    selections = params.get("selections") or {}

    if params.get("exclude_existing"):
        candidates = [d for d in candidates if not _already_in_netbox(d, options, existing_index, selections)]

    inventories: Dict[int, List[dict]] = {}
    if params.get("vc_detection") and candidates:
        inventories = librenms.inventories(
            [d["device_id"] for d in candidates],
            concurrency=int(params.get("inventory_concurrency") or 4),
            on_done=lambda done, total: progress("inventory", done, total),
        )

    states = []
    for number, device in enumerate(candidates, 1):
        rows = inventories.get(device["device_id"])
        vc = detect_virtual_chassis(device, rows) if rows else None
        states.append(
            build_device_state(
                device, index, existing_index, options, selection_for(device, selections),
                vc=vc, chassis_model=chassis_model(rows) if rows and vc is None else None,
            )
        )
        if number % 50 == 0 or number == len(candidates):
            progress("validate", number, len(candidates))
    states = sort_states(mark_duplicate_names(states))
    return {
        "devices": states,
        "summary": summarize(states),
        "filters": filters,
        "server_key": server_key,
        "api_calls": {"netbox": netbox.requests_made, "librenms": dict(librenms.calls)},
    }


def _given(filters: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Ansible fills every documented filter key with None; only the given ones are filters."""
    return {key: value for key, value in (filters or {}).items() if value is not None}


def _already_in_netbox(device: Dict[str, Any], options: Dict[str, Any], existing_index, selections) -> bool:
    name = selection_for(device, selections).get("name") or resolve_name(
        device, options.get("use_sysname", True), options.get("strip_domain", False)
    )
    return find_existing(device, name, existing_index, options["server_key"]) is not None
