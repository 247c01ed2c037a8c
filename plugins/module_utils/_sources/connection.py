# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the connection options, defined once for every module and plugin.

Their documentation is the `netbox_librenms.sync.connection` doc fragment; keep the two in step.
"""

from __future__ import annotations

import copy
from typing import Any, Dict

from ansible.module_utils.common.parameters import env_fallback
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    DEFAULT_TIMEOUT,
    LibreNMSClient,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_reads import NetBoxAccess

CONNECTION_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = {
    "librenms_url": {"type": "str", "fallback": (env_fallback, ["LIBRENMS_URL"])},
    "librenms_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["LIBRENMS_TOKEN"])},
    "librenms_validate_certs": {"type": "bool", "default": True},
    "librenms_ca_path": {"type": "path"},
    "netbox_url": {"type": "str", "fallback": (env_fallback, ["NETBOX_URL", "NETBOX_API"])},
    "netbox_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["NETBOX_TOKEN"])},
    "netbox_validate_certs": {"type": "bool", "default": True},
    "netbox_ca_path": {"type": "path"},
    "timeout": {"type": "float", "default": DEFAULT_TIMEOUT},
    "server_key": {"type": "str", "default": "default", "no_log": False},
}
CONNECTION_OPTION_NAMES = tuple(CONNECTION_ARGUMENT_SPEC)


def generate_argspec(**module_options: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The connection options merged with a module's own (a fresh copy each call)."""
    spec = copy.deepcopy(CONNECTION_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


def _timeout(options: Dict[str, Any]) -> float:
    timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)
    if timeout <= 0:
        raise LibrenmsSyncError("timeout must be a positive number of seconds")
    return timeout


def librenms_client(options: Dict[str, Any]) -> LibreNMSClient:
    """Build the LibreNMS client from module params or plugin options (plain dict).

    A missing URL or token is reported by the client itself, naming the option and its variable.
    """
    return LibreNMSClient(
        options.get("librenms_url") or "",
        options.get("librenms_token") or "",
        validate_certs=options.get("librenms_validate_certs", True),
        ca_path=options.get("librenms_ca_path"),
        timeout=_timeout(options),
        server_key=server_key_of(options),
    )


def netbox_access(options: Dict[str, Any]) -> NetBoxAccess:
    return NetBoxAccess(
        options.get("netbox_url") or "",
        options.get("netbox_token") or "",
        validate_certs=options.get("netbox_validate_certs", True),
        ca_path=options.get("netbox_ca_path"),
        timeout=_timeout(options),
    )
