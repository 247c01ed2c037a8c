# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the background-job and cache options of the search and import modules.

Their documentation is the `netbox_librenms.sync.jobs` doc fragment; keep the two in step.
"""

from __future__ import annotations

from typing import Any, Dict

from ansible.module_utils.common.parameters import env_fallback

# A Redis URL may carry a password.
REDIS_URL_SPEC = {"type": "str", "no_log": True, "fallback": (env_fallback, ["NETBOX_LIBRENMS_REDIS_URL"])}

JOB_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = {
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

SEARCH_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = {
    "filters": {
        "type": "dict", "default": {},
        "options": {
            "location": {"type": "str"}, "location_id": {"type": "int"}, "type": {"type": "str"},
            "os": {"type": "str"}, "hostname": {"type": "str"}, "sysname": {"type": "str"}, "hardware": {"type": "str"},
        },
    },
    "all_devices": {"type": "bool", "default": False},
    "show_disabled": {"type": "bool", "default": False},
    "show_ignored": {"type": "bool", "default": False},
    "exclude_existing": {"type": "bool", "default": False},
}

VALIDATION_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = {
    "inventory_concurrency": {"type": "int", "default": 4},
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
    "vc_member_name_pattern": {"type": "str", "default": "-M{position}"},
}
