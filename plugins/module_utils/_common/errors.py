# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the one exception type the import library raises."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class LibrenmsSyncError(Exception):
    """A failure the caller can report as it is: modules turn it into fail_json(msg=..., **details).

    ``details`` holds plain, JSON-friendly facts (never secrets) that help the user act on
    the message, for example the list of every problem found in the options.
    """

    def __init__(self, msg: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(msg)
        self.msg = str(msg)
        self.details = dict(details) if details else {}

    def __str__(self) -> str:
        return self.msg


# A file with a million bad rows once gave a 25 MB message: the first problems are told, the rest counted.
PROBLEMS_SHOWN = 20


def problems_error(prefix: str, problems: List[str]) -> LibrenmsSyncError:
    """One error telling the first PROBLEMS_SHOWN problems (in msg and in the problems detail) and counting the rest."""
    shown = problems[:PROBLEMS_SHOWN]
    rest = len(problems) - len(shown)
    tail = f"; and {rest} more problem(s)" if rest else ""
    details = {"problems": shown, "problem_count": len(problems)}
    return LibrenmsSyncError(prefix + "; ".join(shown) + tail, details)
