# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: a search that also writes its review report (report_path, report_format).

The report is written by the module, in the task, never by a worker: a worker may run on another host. A search
that would go to the background without wait therefore runs in the task, since only then are its rows here.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.html import render_html
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import (
    choose_format,
    render_csv,
    render_markdown,
    report_rows,
)

TITLE = "LibreNMS devices to import into NetBox"


def report_request(params: Options) -> Optional[Dict[str, str]]:
    """{path, format} when a report is asked for, else None."""
    path = params.get("report_path")
    if not path:
        if params.get("report_format"):
            raise LibrenmsSyncError("report_format needs report_path: the file to write the report to")
        return None
    return {"path": path, "format": choose_format(path, params.get("report_format"))}


def in_task(params: Options) -> Dict[str, Any]:
    """The search parameters that bring its rows back to this task: wait for a job, or run here."""
    if params.get("wait") or (params.get("background") or "auto") == "never":
        return params
    if params.get("background") == "always":
        raise LibrenmsSyncError("report_path needs the search's rows in this task: with background: always, "
                                "set wait: true")
    return dict(params, background="never")


def render_report(report_format: str, result: Dict[str, Any], generated_at: str) -> Dict[str, Any]:
    """{text, rows} of the report of one search result."""
    rows = report_rows(result["devices"])
    if report_format == "csv":
        return {"text": render_csv(rows), "rows": len(rows)}
    filters = json.dumps(result.get("filters") or {}, ensure_ascii=False, sort_keys=True)
    meta = f"server {server_key_of(result)}, filters {filters}, generated {generated_at}"
    if report_format == "markdown":
        return {"text": render_markdown(rows, TITLE, meta), "rows": len(rows)}
    return {"text": render_html(rows, TITLE, meta), "rows": len(rows)}


def write_text(path: str, text: str) -> None:
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise LibrenmsSyncError(f"report_path {path}: the directory {directory} does not exist")
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise LibrenmsSyncError(f"report_path {path} cannot be written: {exc.strerror}") from None


def search_with_report(params: Options, search: Callable[[Dict[str, Any]], Dict[str, Any]]
                       ) -> Dict[str, Any]:
    """search(params), and the report of its rows written to report_path when asked."""
    request = report_request(params)
    if request is None:
        return search(params)
    result = search(in_task(params))
    if "devices" not in result:
        raise LibrenmsSyncError("the search returned no device rows, so no report was written",
                                {"job": result.get("job")})
    generated_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    report = render_report(request["format"], result, generated_at)
    write_text(request["path"], report["text"])
    result["report"] = {"path": request["path"], "format": request["format"], "rows": report["rows"]}
    return result
