# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the LibreNMS API v0 client (one session per server, retries, typed errors)."""

from __future__ import annotations

import socket
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import quote

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import DEFAULT_SERVER_KEY
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.urls import masked_url
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import (
    normalize_device,
    normalize_inventory_row,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

API_PREFIX = "/api/v0"
RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_TIMEOUT = 30.0
DEFAULT_INVENTORY_CONCURRENCY = 4


class LibreNMSError(LibrenmsSyncError):
    """Any failure talking to LibreNMS; the subclasses say which kind."""


class LibreNMSAuthError(LibreNMSError):
    """401: missing, wrong or disabled token."""


class LibreNMSPermissionError(LibreNMSError):
    """403: the token lacks the rights for this endpoint or device."""


class LibreNMSNotFoundError(LibreNMSError):
    """404 (or 400 for an unknown inventory device)."""


class LibreNMSConnectionError(LibreNMSError):
    """Unreachable, refused, TLS failure or timeout."""


class LibreNMSResponseError(LibreNMSError):
    """An answer that is not the JSON envelope LibreNMS sends, or a server error after retries."""


def normalize_base_url(url: str) -> str:
    """`https://nms.example.net/`, `.../api/v0` and `.../api/v0/` all mean the same server."""
    if not url or not str(url).strip():
        raise LibrenmsSyncError("librenms_url is required (or set LIBRENMS_URL)")
    base = str(url).strip().rstrip("/")
    if base.endswith(API_PREFIX):
        base = base[: -len(API_PREFIX)]
    if not base.startswith(("http://", "https://")):
        raise LibrenmsSyncError(f"librenms_url must start with http:// or https://, got {masked_url(base)!r}")
    return base.rstrip("/")


class LibreNMSClient:
    """Talks to one LibreNMS server. Thread-safe for the concurrent inventory calls."""

    def __init__(
        self,
        url: str,
        token: str,
        validate_certs: bool = True,
        ca_path: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 3,
        server_key: str = DEFAULT_SERVER_KEY,
        pool_size: int = DEFAULT_INVENTORY_CONCURRENCY,
    ) -> None:
        if not HAS_REQUESTS:
            raise LibrenmsSyncError("the Python library requests is required to talk to LibreNMS")
        if not token:
            raise LibrenmsSyncError("librenms_token is required (or set LIBRENMS_TOKEN)")
        self.base_url = normalize_base_url(url)
        self.shown_url = masked_url(self.base_url)  # the URL messages name: never its user or password
        self.server_key = server_key
        # A slow LibreNMS list call is normal; an unreachable host should fail fast.
        self._timeout = (min(float(timeout), 10.0), float(timeout))
        self._session = requests.Session()
        self._session.headers.update({"X-Auth-Token": token, "Accept": "application/json"})
        self._session.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        retry = Retry(
            total=retries, connect=retries, read=1, status=retries, backoff_factor=0.5,
            status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
            raise_on_status=False, respect_retry_after_header=True, redirect=0,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=max(pool_size, 1))
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._lock = threading.Lock()
        self.calls: Dict[str, int] = {}

    # -- transport -------------------------------------------------------------------------------

    def _count(self, endpoint: str) -> None:
        with self._lock:
            self.calls[endpoint] = self.calls.get(endpoint, 0) + 1

    def get(self, path: str, endpoint: str, params: Optional[dict] = None) -> dict:
        """GET `/api/v0{path}` and return the JSON envelope; every failure becomes a typed error."""
        url = f"{self.base_url}{API_PREFIX}{path}"
        where = f"GET {API_PREFIX}{path} on LibreNMS {self.shown_url}"
        self._count(endpoint)
        try:
            response = self._session.get(url, params=params, timeout=self._timeout, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise LibreNMSConnectionError(
                f"{where}: TLS verification failed ({_reason(exc)}); give librenms_ca_path or fix the certificate"
            ) from None
        except requests.exceptions.Timeout:
            raise LibreNMSConnectionError(f"{where}: no answer within {self._timeout[1]:g} s (timeout)") from None
        except requests.exceptions.RetryError as exc:
            raise LibreNMSResponseError(f"{where}: server errors persisted after retries ({_reason(exc)})") from None
        except requests.exceptions.ConnectionError as exc:
            if isinstance(_cause(exc), (TimeoutError, socket.timeout)):
                # A read timeout that outlived its retry arrives wrapped as a ConnectionError.
                raise LibreNMSConnectionError(f"{where}: no answer within {self._timeout[1]:g} s (timeout)") from None
            raise LibreNMSConnectionError(f"{where}: cannot connect ({_reason(exc)})") from None
        except requests.exceptions.RequestException as exc:
            raise LibreNMSConnectionError(f"{where}: request failed ({type(exc).__name__})") from None
        return self._decode(response, where)

    def _decode(self, response, where: str) -> dict:
        status = response.status_code
        if 300 <= status < 400:
            # Following a redirect silently has cost users their auth header or their scheme.
            target = response.headers.get("Location", "?")
            raise LibreNMSResponseError(
                f"{where}: redirected ({status}) to {target}; set librenms_url to the final URL"
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        message = body.get("message") if isinstance(body, dict) else None
        if status == 401:
            raise LibreNMSAuthError(f"{where}: the API token was rejected (401 {message or 'Unauthenticated.'})")
        if status == 403:
            raise LibreNMSPermissionError(f"{where}: permission denied (403 {message or 'Forbidden'})")
        if status >= 500:
            # raise_on_status=False: once the retries are spent urllib3 hands back the last 5xx answer.
            raise LibreNMSResponseError(f"{where}: server errors persisted after retries (last HTTP {status})")
        if not isinstance(body, dict):
            snippet = response.text[:80].replace("\n", " ")
            raise LibreNMSResponseError(f"{where}: answer is not JSON (HTTP {status}, starts with {snippet!r})")
        if status in (400, 404) or body.get("status") == "error":
            raise LibreNMSNotFoundError(f"{where}: {status} {message or 'not found'}", {"http_status": status})
        if status != 200:
            raise LibreNMSResponseError(f"{where}: unexpected HTTP {status}")
        return body

    # -- endpoints -------------------------------------------------------------------------------

    def list_devices(self, api_type: Optional[str] = None, query: Optional[str] = None) -> List[dict]:
        """Every device (or those one `type`/`query` pair selects), normalised and without SNMP secrets."""
        params = {"type": api_type, "query": query} if api_type else None
        body = self.get("/devices", "list_devices", params)
        return [normalize_device(row) for row in _rows(body, "devices")]

    def get_device(self, id_or_hostname) -> dict:
        body = self.get(f"/devices/{id_or_hostname}", "get_device")
        rows = _rows(body, "devices")
        if not rows:
            raise LibreNMSNotFoundError(f"LibreNMS {self.shown_url} has no device {id_or_hostname}")
        return normalize_device(rows[0])

    def inventory(self, device_id: int) -> List[dict]:
        """The whole flat entPhysical table of a device: one call, never the recursive walk."""
        body = self.get(f"/inventory/{int(device_id)}/all", "inventory_all")
        return [normalize_inventory_row(row) for row in _rows(body, "inventory")]

    def inventories(
        self, device_ids: Iterable[int], concurrency: int = DEFAULT_INVENTORY_CONCURRENCY, on_done=None
    ) -> Dict[int, List[dict]]:
        """One `/inventory/{id}/all` call per device, at most `concurrency` at a time."""
        ids = list(dict.fromkeys(int(i) for i in device_ids))
        results: Dict[int, List[dict]] = {}
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(ids) or 1))) as pool:
            for device_id, rows in zip(ids, pool.map(self.inventory, ids)):
                results[device_id] = rows
                if on_done:
                    on_done(len(results), len(ids))
        return results

    def device_groups(self) -> List[Tuple[str, list]]:
        """(group name, member rows) for every device group: one call for the list, one per group.

        LibreNMS answers 404 both when there is no group and for a group without members; neither is a
        failure, both mean empty. A group is asked for by id when the server gives one, else by its name as
        one URL path segment, since a name may hold a slash.
        """
        try:
            body = self.get("/devicegroups", "devicegroups")
        except LibreNMSNotFoundError:
            return []
        groups = []
        for group in body.get("groups") or ():
            name = str(group.get("name") or group.get("id"))
            key = group.get("id") if group.get("id") not in (None, "") else name
            try:
                members = self.get(f"/devicegroups/{quote(str(key), safe='')}", "devicegroup").get("devices") or []
            except LibreNMSNotFoundError:
                members = []
            groups.append((name, members))
        return groups

    def ports(self, columns: Sequence[str], device_id: Optional[int] = None) -> List[dict]:
        """Raw `ports` rows with `columns` (port_id and device_id always): the estate's, or one device's.

        /ports leaves deleted ports out and sends no `count`; a device without ports is LibreNMS's 404.
        """
        wanted = ",".join(dict.fromkeys(("port_id", "device_id", *columns)))
        path = "/ports" if device_id is None else f"/devices/{_device_id(device_id)}/ports"
        return self._rows_or_none(path, "ports", "ports", {"columns": wanted})

    def ip_addresses(self, device_id: Optional[int] = None) -> List[dict]:
        """Raw IPv4 rows then IPv6 rows (their keys differ), the estate's or one device's."""
        if device_id is None:
            return self._rows_or_none("/resources/ip/addresses", "ip_addresses", "ip_addresses")
        return self._rows_or_none(f"/devices/{_device_id(device_id)}/ip", "ip_addresses", "addresses")

    def links(self, device_id: Optional[int] = None) -> List[dict]:
        """Raw discovery-protocol links, each seen from both ends when LibreNMS polls both.

        Only a numeric id goes into the per-device path: LibreNMS answers an unknown hostname with every link.
        """
        path = "/resources/links" if device_id is None else f"/devices/{_device_id(device_id)}/links"
        return self._rows_or_none(path, "links", "links")

    def _rows_or_none(self, path: str, endpoint: str, key: str, params: Optional[dict] = None) -> List[dict]:
        """The list under `key`; LibreNMS's 404 for "none" is an empty list, a 400 stays an error."""
        try:
            body = self.get(path, endpoint, params)
        except LibreNMSNotFoundError as exc:
            if exc.details.get("http_status") == 404:
                return []
            raise
        return _rows(body, key)

    def close(self) -> None:
        self._session.close()


def _device_id(device_id) -> int:
    """A positive int, never a hostname: some per-device endpoints answer an unknown name with every row."""
    number = device_id if isinstance(device_id, int) and not isinstance(device_id, bool) else None
    if number is None and isinstance(device_id, str) and device_id.strip().isdigit():
        number = int(device_id)
    if number is None or number <= 0:
        raise LibrenmsSyncError(f"a LibreNMS device id must be a positive integer, got {device_id!r}")
    return number


def _rows(body: dict, key: str) -> list:
    rows = body.get(key)
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise LibreNMSResponseError(f"LibreNMS answered {key!r} as {type(rows).__name__}, expected a list")
    return rows


def _cause(exc: BaseException) -> BaseException:
    """The innermost cause of a requests error (urllib3 reasons, then chained exceptions)."""
    cause = exc
    for _depth in range(10):
        nxt = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        if not isinstance(nxt, BaseException):
            break
        cause = nxt
    return cause


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, short, without object reprs."""
    cause = _cause(exc)
    text = str(cause)
    return text.split(": ", 1)[-1][:160] if text else type(cause).__name__
