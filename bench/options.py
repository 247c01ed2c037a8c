"""The module options every benchmark run uses: the demo's mapping of the simulated estate onto NetBox."""

from __future__ import annotations

from typing import Any, Dict, List

from harness import netbox_estate

FILTER = "netbox_librenms.sync.librenms_device_filter"
IMPORT = "netbox_librenms.sync.librenms_device_import"
BATCH_SIZE = 100


def _mapping() -> Dict[str, Any]:
    return {
        "site_map": netbox_estate.SITE_MAP,
        "device_type_map": netbox_estate.DEVICE_TYPE_MAP,
        "role": netbox_estate.DEFAULT_ROLE,
        "role_rules": netbox_estate.ROLE_RULES,
        "background": "never",  # measured in the task itself, never handed to a worker
    }


def search_args(vc_detection: bool) -> Dict[str, Any]:
    return dict(_mapping(), all_devices=True, vc_detection=vc_detection)


# The lean result B1 measures: the rows a following import takes (ready and needs_review), with the two keys it
# reads (device_id, and status to pick the ready ones); summary, device_ids and the other keys as always.
LEAN_RESULT = {"return_devices": "importable", "result_fields": ["device_id", "status"]}


def lean_search_args() -> Dict[str, Any]:
    """The search of search_args(False), returning the lean result."""
    return dict(search_args(False), **LEAN_RESULT)


def import_args(device_ids: List[int]) -> Dict[str, Any]:
    return dict(_mapping(), devices=list(device_ids), batch_size=BATCH_SIZE)


SYNC = "netbox_librenms.sync.librenms_device_sync"
SYNC_BATCH_SIZE = 100


def sync_args() -> Dict[str, Any]:
    """B6's sync: every device linked to LibreNMS, in the task itself (never handed to a worker)."""
    return {"all_devices": True, "batch_size": SYNC_BATCH_SIZE, "background": "never"}
