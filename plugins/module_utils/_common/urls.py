# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: a server URL's user and password, masked in messages and kept out of Redis.

Every message that names a URL (LibreNMS, NetBox, Redis) shows it through `masked_url`; job payloads, cache
scopes and URL comparisons use `without_userinfo`.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple
from urllib.parse import urlsplit

MASK = "***"


def _parts(url: Any) -> Tuple[str, Optional[str], str]:
    """(scheme and "://", the userinfo or None, host and the rest).

    urllib.parse finds the userinfo of a well-formed URL (the last "@" of its authority, so a password may hold an
    unquoted "@"). A password holding an unquoted "/", "?" or "#" ends the authority early for urllib.parse:
    then everything up to the last "@" is taken as userinfo, so no part of the password is ever shown.
    """
    text = "" if url is None else str(url)
    scheme, separator, remainder = text.partition("://")
    prefix = scheme + separator
    if not separator:
        prefix, remainder = "", text
    try:
        netloc = urlsplit("//" + remainder).netloc
    except ValueError:  # e.g. an unclosed IPv6 bracket
        netloc = ""
    if "@" in netloc and remainder.startswith(netloc):
        userinfo, _at, host = netloc.rpartition("@")
        return prefix, userinfo, host + remainder[len(netloc):]
    if "@" in remainder:
        userinfo, _at, rest = remainder.rpartition("@")
        return prefix, userinfo, rest
    return prefix, None, remainder


def masked_url(url: Any) -> str:
    """The URL for a message: its user and password, if any, replaced by ***."""
    prefix, userinfo, rest = _parts(url)
    return f"{prefix}{MASK}@{rest}" if userinfo is not None else f"{prefix}{rest}"


def without_userinfo(url: Any) -> str:
    """The URL without user and password: what a job payload, a cache scope or a comparison may hold."""
    prefix, _userinfo, rest = _parts(url)
    return prefix + rest


def same_server(left: Any, right: Any) -> bool:
    """Whether two URLs name the same server: compared without userinfo, trailing slash or letter case."""
    return without_userinfo(left or "").rstrip("/").lower() == without_userinfo(right or "").rstrip("/").lower()
