# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the argument specs shared by the modules, one block per doc fragment.

Each block is documented by the doc fragment of the same name (plugins/doc_fragments/<name>.py), and a unit test
keeps the two in step. A module's own options live in the module, next to its DOCUMENTATION.
"""

from __future__ import annotations

import copy
from typing import Any, Dict

from ansible.module_utils.common.parameters import env_fallback
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import DEFAULT_SERVER_KEY
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    DEFAULT_MEMBER_NAME_PATTERN,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    DEFAULT_INVENTORY_CONCURRENCY,
    DEFAULT_TIMEOUT,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    DEFAULT_BATCH_JOBS_THRESHOLD,
    DEFAULT_WRITE_CONCURRENCY,
)

Spec = Dict[str, Dict[str, Any]]

# doc fragment netbox_librenms.sync.connection (the inventory plugin reads the same names)
CONNECTION_ARGUMENT_SPEC: Spec = {
    "librenms_url": {"type": "str", "fallback": (env_fallback, ["LIBRENMS_URL"])},
    "librenms_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["LIBRENMS_TOKEN"])},
    "librenms_validate_certs": {"type": "bool", "default": True},
    "librenms_ca_path": {"type": "path"},
    "netbox_url": {"type": "str", "fallback": (env_fallback, ["NETBOX_URL", "NETBOX_API"])},
    "netbox_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["NETBOX_TOKEN"])},
    "netbox_validate_certs": {"type": "bool", "default": True},
    "netbox_ca_path": {"type": "path"},
    "timeout": {"type": "float", "default": DEFAULT_TIMEOUT},
    "server_key": {"type": "str", "default": DEFAULT_SERVER_KEY, "no_log": False},
}
CONNECTION_OPTION_NAMES = tuple(CONNECTION_ARGUMENT_SPEC)

# doc fragment netbox_librenms.sync.filters (the inventory plugin documents the same filters)
FILTERS_ARGUMENT_SPEC: Spec = {
    "filters": {
        "type": "dict", "default": {},
        "options": {
            "location": {"type": "str"}, "location_id": {"type": "int"}, "type": {"type": "str"},
            "os": {"type": "str"}, "hostname": {"type": "str"}, "sysname": {"type": "str"}, "hardware": {"type": "str"},
        },
    },
    "show_disabled": {"type": "bool", "default": False},
    "show_ignored": {"type": "bool", "default": False},
}

# doc fragment netbox_librenms.sync.validation
VALIDATION_ARGUMENT_SPEC: Spec = {
    "all_devices": {"type": "bool", "default": False},
    "exclude_existing": {"type": "bool", "default": False},
    "inventory_concurrency": {"type": "int", "default": DEFAULT_INVENTORY_CONCURRENCY},
    "use_sysname": {"type": "bool", "default": True},
    "strip_domain": {"type": "bool", "default": False},
    "site_map": {"type": "dict", "default": {}},
    "device_type_map": {"type": "dict", "default": {}},
    "platform_map": {"type": "dict", "default": {}},
    "role": {"type": "str"},
    "role_rules": {
        "type": "list", "elements": "dict", "default": [],
        "options": {"role": {"type": "str", "required": True}, "match": {"type": "dict", "required": True}},
    },
    "selections": {"type": "dict", "default": {}},
    "vc_member_name_pattern": {"type": "str", "default": DEFAULT_MEMBER_NAME_PATTERN},
}

# doc fragment netbox_librenms.sync.sync (what librenms_device_sync writes and how)
SYNC_ARGUMENT_SPEC: Spec = {
    "interface_name_field": {"type": "str", "default": "ifName", "choices": ["ifName", "ifDescr"]},
    "interface_type_map": {"type": "dict", "default": {}},
    "interface_filter": {
        "type": "dict", "default": {},
        "options": {"include": {"type": "list", "elements": "str", "default": []},
                    "exclude": {"type": "list", "elements": "str", "default": []}},
    },
    "exclude_fields": {
        "type": "list", "elements": "str", "default": [],
        "choices": ["type", "speed", "mtu", "description", "enabled", "mac_address", "librenms_id"],
    },
    "skip_port_states": {
        "type": "list", "elements": "str", "default": ["deleted", "disabled", "ignored"],
        "choices": ["deleted", "disabled", "ignored"],
    },
    "member_position_rules": {
        "type": "list", "elements": "dict",
        "options": {"pattern": {"type": "str", "required": True}, "offset": {"type": "int", "default": 0}},
    },
    "vrf_map": {"type": "dict", "default": {}},
    "include_link_local": {"type": "bool", "default": False},
    "reassign_ips": {"type": "bool", "default": False},
    "update_primary_ip": {"type": "bool", "default": False},
    "delete_missing": {"type": "bool", "default": False},
}

# A Redis URL may carry a password. librenms_job_status takes it on its own, as a required option.
REDIS_URL_SPEC: Dict[str, Any] = {
    "type": "str", "no_log": True, "fallback": (env_fallback, ["NETBOX_LIBRENMS_REDIS_URL"]),
}

# doc fragment netbox_librenms.sync.jobs
JOBS_ARGUMENT_SPEC: Spec = {
    "background": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "background_threshold": {"type": "int", "default": 50},
    "redis_url": REDIS_URL_SPEC,
    "queue": {"type": "str", "default": "default", "choices": ["high", "default", "low"]},
    "job_timeout": {"type": "int", "default": 3600},
    "result_ttl": {"type": "int", "default": 86400},
    "wait": {"type": "bool", "default": False},
    "wait_timeout": {"type": "int", "default": 3600},
    "cache_timeout": {"type": "int", "default": 300},
    "clear_cache": {"type": "bool", "default": False},
}

# doc fragment netbox_librenms.sync.writes (the modules that write to NetBox)
WRITES_ARGUMENT_SPEC: Spec = {
    "batch_size": {"type": "int", "default": 100},
    "write_concurrency": {"type": "int", "default": DEFAULT_WRITE_CONCURRENCY},
}

# librenms_device_import's own (only an import is split into batch jobs); documented in the module
BATCH_JOBS_ARGUMENT_SPEC: Spec = {"batch_jobs_threshold": {"type": "int", "default": DEFAULT_BATCH_JOBS_THRESHOLD}}


def generate_argspec(*blocks: Spec, **module_options: Dict[str, Any]) -> Spec:
    """The connection options, then the given shared blocks, then a module's own (a fresh copy each call)."""
    spec: Spec = {}
    for block in (CONNECTION_ARGUMENT_SPEC, *blocks, module_options):
        spec.update(copy.deepcopy(block))
    return spec
