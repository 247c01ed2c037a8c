# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: one short digest of JSON-like data, for cache keys and request dedup."""

from __future__ import annotations

import hashlib
import json
from typing import Any

FINGERPRINT_LENGTH = 20


def fingerprint(data: Any) -> str:
    """The same hex digest for the same data, whatever the order of its mappings' keys."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]
