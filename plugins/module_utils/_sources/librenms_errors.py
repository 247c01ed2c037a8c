# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: what can go wrong talking to LibreNMS, one exception class per kind."""

from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError


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


def cause_of(exc: BaseException) -> BaseException:
    """The innermost cause of a requests error (urllib3 reasons, then chained exceptions)."""
    cause = exc
    for _depth in range(10):
        nxt = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        if not isinstance(nxt, BaseException):
            break
        cause = nxt
    return cause


def reason_of(exc: BaseException) -> str:
    """The innermost cause of a requests error, short, without object reprs."""
    cause = cause_of(exc)
    text = str(cause)
    return text.split(": ", 1)[-1][:160] if text else type(cause).__name__
