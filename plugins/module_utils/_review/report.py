# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the review report of a search, one row per device, as CSV or Markdown.

Pure: device states in, text out. The HTML page is `html.py`; writing the file is `output.py`.
The CSV is also the input of `librenms_device_import`'s selections_file (`selections_file.py` reads it back).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Dict, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import status_counts

COLUMNS = ("librenms_id", "hostname", "name", "status", "site", "device_type", "platform", "role", "rack",
           "cluster", "import_as", "import", "issues", "warnings")
# The NetBox objects a device state names, shown by name.
MATCH_COLUMNS = ("site", "device_type", "platform", "role", "rack", "cluster")
EDITABLE_COLUMNS = ("name", "role", "rack", "cluster", "import_as", "import")
FORMATS = ("csv", "markdown", "html")
_EXTENSIONS = {".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
# A spreadsheet runs a cell that starts with one of these as a formula; device fields come from LibreNMS and
# are untrusted, so such a cell gets a leading apostrophe, which _selections_file strips again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOTE_SEPARATOR = "; "


def choose_format(path: str, report_format: Optional[str]) -> str:
    """The format asked for, else the one the file extension names, else csv."""
    if report_format:
        return report_format
    lowered = path.lower()
    for extension, name in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return name
    return "csv"


def _name_of(match: Optional[Dict[str, Any]]) -> str:
    return "" if not match else str(match.get("name") or "")


def _blocking_notes(state: Dict[str, Any]) -> List[str]:
    """What stands between the device and an import: issues and choices to make, or the NetBox conflict.

    A device already in NetBox is not imported whatever its choices, so its issues would only distract.
    """
    if state["status"] in ("exists", "conflict"):
        conflict = (state.get("existing") or {}).get("conflict")
        return [conflict] if conflict else []
    return [*state.get("issues", []), *state.get("review", [])]


def _existing_note(state: Dict[str, Any]) -> List[str]:
    existing = state.get("existing")
    if not existing or existing.get("conflict"):
        return []
    return [f"already in NetBox as {existing.get('kind')} {existing.get('name')!r} "
            f"(matched by {existing.get('match')})"]


def report_row(state: Dict[str, Any]) -> Dict[str, str]:
    """One report row (every value text) from one device state of a search."""
    return {
        "librenms_id": str(state["device_id"]),
        "hostname": str(state.get("hostname") or ""),
        "name": str(state.get("name") or ""),
        "status": state["status"],
        **{column: _name_of(state.get(column)) for column in MATCH_COLUMNS},
        "import_as": state.get("import_as") or "device",
        "import": "yes" if state["status"] == "ready" else "",
        "issues": NOTE_SEPARATOR.join(_blocking_notes(state)),
        "warnings": NOTE_SEPARATOR.join(_existing_note(state) + list(state.get("warnings", []))),
    }


def report_rows(states: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [report_row(state) for state in states]


def _spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def render_csv(rows: List[Dict[str, str]]) -> str:
    """The CSV a person edits: a header of COLUMNS, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_spreadsheet_safe(row[column]) for column in COLUMNS])
    return out.getvalue()


def _markdown_cell(value: str) -> str:
    # A pipe would end the cell and a newline the row; < and & are escaped so a renderer shows them as text.
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def render_markdown(rows: List[Dict[str, str]], title: str, meta: str) -> str:
    """The title, one line of facts (`meta`), a status summary line, then a table of every column."""
    counts = status_counts(rows)
    summary = ", ".join(f"{status} {count}" for status, count in counts.items())
    lines = [f"# {_markdown_cell(title)}", "", _markdown_cell(meta), "", f"**Summary:** {summary}", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(row[column]) for column in COLUMNS) + " |")
    return "\n".join(lines) + "\n"
