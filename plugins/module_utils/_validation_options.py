# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the search and validation options shared by the filter and import modules.

Their documentation is the `netbox_librenms.sync.validation` doc fragment; keep the two in step.
"""

from __future__ import annotations

from typing import Any, Dict

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
