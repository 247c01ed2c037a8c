# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the review report as one self-contained HTML page.

Inline CSS, no script, no external resource, so the page opens from a file, a mail attachment or an artifact
store alike. Every device field comes from LibreNMS and is untrusted: each one is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Dict, List

from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import COLUMNS
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import status_counts

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
p.meta { color: #59636e; margin: 0 0 1rem; }
ul.summary { list-style: none; display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; margin: 0 0 1.2rem; }
ul.summary li { border: 1px solid #d1d9e0; border-radius: 6px; padding: .4rem .8rem; }
ul.summary strong { font-size: 1.2rem; margin-right: .3rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
.ready { background: #dafbe1; } .needs_review { background: #fff8c5; } .blocked { background: #ffebe9; }
.exists { background: #ddf4ff; } .conflict { background: #ffd8d3; } .total { background: #f6f8fa; }
td.notes { min-width: 18rem; }
"""
# Issues and warnings are sentences: a wider column keeps them readable.
_NOTE_COLUMNS = ("issues", "warnings")


def _cell(column: str, value: str) -> str:
    css = ' class="notes"' if column in _NOTE_COLUMNS else ""
    return f"<td{css}>{escape(value)}</td>"


def render_html(rows: List[Dict[str, str]], title: str, meta: str) -> str:
    """The page: title, one line of facts (`meta`), the status summary, then the table of every row."""
    counts = status_counts(rows)
    summary = "".join(
        f'<li class="{escape(status)}"><strong>{count}</strong>{escape(status)}</li>'
        for status, count in counts.items()
    )
    header = "".join(f"<th>{escape(column)}</th>" for column in COLUMNS)
    body = "\n".join(
        f'<tr class="{escape(row["status"])}">' + "".join(_cell(column, row[column]) for column in COLUMNS) + "</tr>"
        for row in rows
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<p class=\"meta\">{escape(meta)}</p>\n"
        f'<ul class="summary" id="summary">{summary}</ul>\n'
        f'<table id="devices">\n<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n'
        "</body>\n</html>\n"
    )
