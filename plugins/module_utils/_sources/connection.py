# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the LibreNMS client and the NetBox access a run's connection options describe.

The options themselves (spec and documentation) are _options.py and the `netbox_librenms.sync.connection` doc
fragment; modules, plugins and workers all build their connections here.
"""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import check_limits
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    DEFAULT_TIMEOUT,
    LibreNMSClient,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_reads import NetBoxAccess


def _timeout(options: Options) -> float:
    """The timeout given (DEFAULT_TIMEOUT when unset); 0 is refused, not read as "unset"."""
    check_limits(options, ("timeout",))
    value = options.get("timeout")
    return DEFAULT_TIMEOUT if value is None else float(value)


def _endpoint(options: Options, system: str) -> Dict[str, Any]:
    """URL, token and TLS settings of one system ("librenms" or "netbox"); the client checks what is missing."""
    return {
        "url": options.get(f"{system}_url") or "",
        "token": options.get(f"{system}_token") or "",
        "validate_certs": options.get(f"{system}_validate_certs", True),
        "ca_path": options.get(f"{system}_ca_path"),
        "timeout": _timeout(options),
    }


def librenms_client(options: Options) -> LibreNMSClient:
    """The LibreNMS client of a module's, a plugin's or a job's options."""
    return LibreNMSClient(**_endpoint(options, "librenms"), server_key=server_key_of(options))


def netbox_access(options: Options) -> NetBoxAccess:
    """The NetBox access of a module's, a plugin's or a job's options."""
    return NetBoxAccess(**_endpoint(options, "netbox"))
