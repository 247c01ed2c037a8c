# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options shared by every module and plugin (spec: module_utils/_options.py).

DOCUMENTATION is for modules and plugins alike. PLUGINS adds what only plugins may declare (modules take
their environment fallbacks from the argument spec): extend both, `connection` then `connection.plugins`.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  librenms_url:
    description:
      - Base URL of the LibreNMS server, for example V(https://librenms.example.net).
      - A trailing V(/) or V(/api/v0) is accepted. Redirects are not followed, so give the final URL.
      - If not set, the environment variable E(LIBRENMS_URL) is used.
    type: str
  librenms_token:
    description:
      - LibreNMS API token, sent in the C(X-Auth-Token) header. It needs global read.
      - If not set, the environment variable E(LIBRENMS_TOKEN) is used. Never logged.
    type: str
  librenms_validate_certs:
    description:
      - Verify the LibreNMS server's TLS certificate. Only turn this off for a lab.
    type: bool
    default: true
  librenms_ca_path:
    description:
      - A CA bundle file to verify the LibreNMS certificate with, instead of the system's.
    type: path
  netbox_url:
    description:
      - Base URL of NetBox, for example V(https://netbox.example.net).
      - If not set, the environment variable E(NETBOX_URL), then E(NETBOX_API), is used.
    type: str
  netbox_token:
    description:
      - NetBox API token. Both v1 tokens and v2 tokens (V(nbt_<key>.<secret>)) work.
      - If not set, the environment variable E(NETBOX_TOKEN) is used. Never logged.
    type: str
  netbox_validate_certs:
    description:
      - Verify NetBox's TLS certificate. Only turn this off for a lab.
    type: bool
    default: true
  netbox_ca_path:
    description:
      - A CA bundle file to verify the NetBox certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Read timeout in seconds for each HTTP request to LibreNMS and NetBox; connecting waits at most 10 seconds.
      - LibreNMS GET requests are retried with backoff on connection errors, 429 and 5xx answers.
      - Must be greater than V(0); V(0) or a negative number fails the task (V(0) no longer means the default).
    type: float
    default: 30
  server_key:
    description:
      - Name of the LibreNMS server, as in netbox-librenms-plugin's multi-server setup.
      - 'It keys the C(librenms_id) custom field in NetBox: V({"<server_key>": <device_id>}).'
    type: str
    default: default
"""

    # Merged into the options above by ansible-doc (same names): only the keys plugins add.
    PLUGINS = r"""
options:
  librenms_url:
    env:
      - name: LIBRENMS_URL
  librenms_token:
    env:
      - name: LIBRENMS_TOKEN
  netbox_url:
    env:
      - name: NETBOX_URL
      - name: NETBOX_API
  netbox_token:
    env:
      - name: NETBOX_TOKEN
"""
