# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: NetBox access through pynetbox, always in bulk.

Every read here is a paged list of a whole endpoint, so the number of requests depends on the size of
NetBox, never on how many LibreNMS devices are being looked at.
"""

from __future__ import annotations

import json
import threading
import traceback
from typing import Dict, Iterable, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url

try:
    import pynetbox
    import requests
except ImportError:
    HAS_PYNETBOX = False
    PYNETBOX_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    HAS_PYNETBOX = True
    PYNETBOX_IMPORT_ERROR = None

PAGE_SIZE = 1000
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The HTTP method DRF lists in an endpoint's OPTIONS "actions" when the token may do a NetBox action there:
# POST for add, PUT for change; a token without the permission, or with write disabled, gets neither
# (measured on NetBox 4.7.3).
_ACTION_METHODS = {"add": "POST", "change": "PUT"}

# Only the fields the rules read: smaller pages, faster listing of large NetBoxes.
REFERENCE_ENDPOINTS = {
    "sites": ("dcim", "sites", "id,name,slug"),
    "locations": ("dcim", "locations", "id,name,slug,site"),
    "manufacturers": ("dcim", "manufacturers", "id,name,slug"),
    "device_types": ("dcim", "device_types", "id,model,slug,part_number,manufacturer"),
    "platforms": ("dcim", "platforms", "id,name,slug"),
    "roles": ("dcim", "device_roles", "id,name,slug,vm_role"),
    "racks": ("dcim", "racks", "id,name,site"),
    "clusters": ("virtualization", "clusters", "id,name,site"),
}
# status, platform and device_type are what update_existing compares.
EXISTING_DEVICE_FIELDS = (
    "id,name,serial,url,site,primary_ip4,primary_ip6,custom_fields,virtual_chassis,status,platform,device_type"
)
EXISTING_VM_FIELDS = "id,name,serial,url,cluster,primary_ip4,primary_ip6,custom_fields,status,platform"


class NetBoxAccess:
    """A pynetbox API with our session (TLS, timeout, request counting) and bulk readers."""

    def __init__(
        self, url: str, token: str, validate_certs: bool = True, ca_path: Optional[str] = None, timeout: float = 30.0
    ) -> None:
        if not HAS_PYNETBOX:
            raise LibrenmsSyncError("the Python library pynetbox is required to talk to NetBox")
        if not url:
            raise LibrenmsSyncError("netbox_url is required (or set NETBOX_URL)")
        if not token:
            raise LibrenmsSyncError("netbox_token is required (or set NETBOX_TOKEN)")
        self.url = str(url).strip().rstrip("/")
        if self.url.endswith("/api"):
            self.url = self.url[: -len("/api")]
        self.requests_made = 0
        self.writes_made = 0
        self._lock = threading.Lock()
        self.api = pynetbox.api(self.url, token=token, threading=True, max_workers=4)
        session = requests.Session()
        session.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        session.hooks["response"].append(self._count)
        self._timeout = float(timeout)
        session.request = _with_timeout(session.request, self._timeout)
        self.api.http_session = session

    def _count(self, response, *args, **kwargs):
        with self._lock:
            self.requests_made += 1
            if response.request.method in WRITE_METHODS:  # not GET, nor the OPTIONS of missing_permissions
                self.writes_made += 1
        return response

    def list_all(self, app: str, endpoint: str, fields: Optional[str] = None, **filters) -> List[dict]:
        """Every object of an endpoint as plain dicts, in pages of PAGE_SIZE."""
        params = dict(filters)
        if fields:
            params["fields"] = fields
        with translate_errors(self.url, f"/api/{app}/{endpoint.replace('_', '-')}/"):
            records = getattr(getattr(self.api, app), endpoint).filter(limit=PAGE_SIZE, **params)
            return [dict(record) for record in records]

    def missing_permissions(self, wanted: Dict[Tuple[str, str, str], Iterable[str]]) -> List[str]:
        """The permissions (``app.action_model``) the token lacks of those wanted, one OPTIONS per endpoint.

        ``wanted`` maps (app, endpoint, model) to the actions ("add", "change") a run will take there.
        """
        missing = []
        for (app, endpoint, model), actions in sorted(wanted.items()):
            url = getattr(getattr(self.api, app), endpoint).url
            with translate_errors(self.url, f"/api/{app}/{endpoint.replace('_', '-')}/ (OPTIONS)"):
                answer = pynetbox.core.query.Request(base=url, token=self.api.token,
                                                     http_session=self.api.http_session).options()
            allowed = (answer.get("actions") or {}) if isinstance(answer, dict) else {}
            missing += [f"{app}.{action}_{model}" for action in sorted(set(actions))
                        if _ACTION_METHODS[action] not in allowed]
        return missing

    def reference_data(self) -> Dict[str, List[dict]]:
        return {
            key: self.list_all(app, endpoint, fields) for key, (app, endpoint, fields) in REFERENCE_ENDPOINTS.items()
        }

    def existing_objects(self) -> Dict[str, List[dict]]:
        return {
            "devices": self.list_all("dcim", "devices", EXISTING_DEVICE_FIELDS),
            "vms": self.list_all("virtualization", "virtual_machines", EXISTING_VM_FIELDS),
        }

    def librenms_chassis(self, server_key: str) -> List[dict]:
        """The virtual chassis imports of this server created (domain librenms-<server_key>-<id>): one paged list."""
        return self.list_all("dcim", "virtual_chassis", "id,name,domain,master,member_count",
                             domain__isw=f"librenms-{server_key}-")


def _with_timeout(request, timeout: float):
    def request_with_timeout(method, url, **kwargs):
        kwargs.setdefault("timeout", timeout)
        return request(method, url, **kwargs)

    return request_with_timeout


class translate_errors:
    """Turn pynetbox and requests failures into one LibrenmsSyncError naming NetBox's URL and endpoint."""

    def __init__(self, url: str, endpoint: str) -> None:
        self.where = f"NetBox {masked_url(url)} {endpoint}"

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or isinstance(exc, LibrenmsSyncError):
            return False
        if isinstance(exc, pynetbox.RequestError):
            raise LibrenmsSyncError(f"{self.where}: {_request_error_text(exc)}") from None
        if isinstance(exc, requests.exceptions.SSLError):
            raise LibrenmsSyncError(
                f"{self.where}: TLS verification failed; give netbox_ca_path or fix the certificate"
            ) from None
        if isinstance(exc, requests.exceptions.Timeout):
            raise LibrenmsSyncError(f"{self.where}: no answer in time (timeout)") from None
        if isinstance(exc, requests.exceptions.ConnectionError):
            raise LibrenmsSyncError(f"{self.where}: cannot connect") from None
        if isinstance(exc, (pynetbox.ContentError, ValueError)):
            raise LibrenmsSyncError(f"{self.where}: the answer is not NetBox's JSON") from None
        return False


def _request_error_text(exc) -> str:
    response = getattr(exc, "req", None)
    status = getattr(response, "status_code", "?")
    detail = str(getattr(exc, "error", "") or "")
    try:
        said = json.loads(detail).get("detail") or ""
    except (ValueError, AttributeError):
        said = ""
    # NetBox answers a wrong, expired or disabled token with 403 "Invalid v1 token" (or v2), like DRF's 401s.
    if status == 401 or (status == 403 and "token" in str(said).lower()):
        return f"{status} the API token was rejected ({str(said)[:80] or 'unauthenticated'}): check netbox_token"
    if status == 403:
        return "403 permission denied: the token's user may not view this (give it the view permission here)"
    return f"{status} {detail[:300]}"
