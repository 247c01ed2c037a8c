# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: search LibreNMS and report each candidate's import status."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline.assess import Progress, assess
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import status_counts
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.filters import (
    choose_api_query,
    given_filters,
    select_devices,
    validate_search,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.connection import (
    librenms_client,
    netbox_access,
)


def find_candidates(params: Options, librenms) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """The filters as applied and the devices they select: one LibreNMS list call."""
    filters = validate_search(given_filters(params.get("filters")), bool(params.get("all_devices")))
    api_type, query = choose_api_query(filters)
    listed = librenms.list_devices(api_type, query)
    devices = select_devices(
        listed, filters, show_disabled=bool(params.get("show_disabled")), show_ignored=bool(params.get("show_ignored"))
    )
    return filters, devices


def api_calls(librenms, netbox) -> Dict[str, Any]:
    return {"netbox": netbox.requests_made, "netbox_writes": netbox.writes_made, "librenms": dict(librenms.calls)}


def run_search(params: Options, progress: Optional[Progress] = None, wrap_netbox=None, librenms=None,
               found: Optional[Tuple[Dict[str, Any], List[Dict[str, Any]]]] = None) -> Dict[str, Any]:
    """Search and validate, as the filter module and the search job run it.

    wrap_netbox may wrap the NetBox access, e.g. to take reference data from the cache. A caller that has listed
    the candidates already passes its client and find_candidates' answer as `librenms` and `found`, so LibreNMS
    is listed once and api_calls counts every request; the caller then closes that client.
    """
    own_client = librenms is None
    if own_client:
        librenms = librenms_client(params)
    netbox = netbox_access(params)
    if wrap_netbox is not None:
        netbox = wrap_netbox(netbox)
    try:
        filters, candidates = found if found is not None else find_candidates(params, librenms)
        detect = "all" if params.get("vc_detection") else "none"
        assessment = assess(candidates, params, librenms, netbox, detect=detect, progress=progress)
        states = assessment.states
        return {
            "devices": states,
            "warnings": assessment.warnings,
            "summary": status_counts(states),
            "filters": filters,
            "server_key": server_key_of(params),
            "api_calls": api_calls(librenms, netbox),
        }
    finally:
        if own_client:
            librenms.close()
