# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.html import render_html
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.output import (
    in_task,
    render_report,
    report_request,
    search_with_report,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import (
    COLUMNS,
    choose_format,
    render_csv,
    render_markdown,
    report_rows,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.selections_file import parse_selections_csv
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import status_counts


def state(device_id, status="ready", **extra):
    base = {
        "status": status, "device_id": device_id, "hostname": f"sw{device_id}.example.net", "sysname": None,
        "name": f"sw{device_id}", "import_as": "device", "issues": [], "review": [], "warnings": [],
        "site": {"id": 1, "name": "LON1", "matched_by": "site_map"},
        "device_type": {"id": 2, "name": "C9300-48P", "matched_by": "model"},
        "platform": {"id": 3, "name": "ios", "matched_by": "slug"},
        "role": {"id": 4, "name": "access", "matched_by": "role"},
        "rack": None, "cluster": None, "existing": None, "virtual_chassis": None,
    }
    base.update(extra)
    return base


STATES = [
    state(1, rack={"id": 9, "name": "R1", "matched_by": "selection"}),
    state(2, "needs_review", role=None, review=["no role: set role, add a role_rules entry or set selections.2.role"]),
    state(3, "blocked", site=None, issues=["no NetBox site matches location 'Lab': add it to site_map"],
          warnings=["no NetBox platform matches os 'x'; add it to platform_map"], platform=None),
    state(4, "exists", review=["no role: set role"],
          existing={"id": 50, "name": "sw4", "kind": "device", "match": "librenms_id", "conflict": None, "url": "u"}),
    state(5, "conflict", issues=["no NetBox site matches location 'x'"],
          existing={"id": 51, "name": "sw5", "kind": "device", "match": "serial", "url": "u",
                    "conflict": "serial FOC5 already belongs to NetBox device 'other'"}),
    state(6, import_as="vm", site=None, device_type=None, cluster={"id": 7, "name": "vmware", "matched_by": "s"},
          role={"id": 8, "name": "server", "matched_by": "role_rules[0]"}),
]
HOSTILE = state(7, hostname="<script>alert(1)</script>", name="=HYPERLINK(\"http://x\")",
                warnings=["a | pipe & <b>bold</b>\nnewline"])


def test_rows_have_every_column_in_order_as_text():
    rows = report_rows(STATES)
    assert [list(row) for row in rows] == [list(COLUMNS)] * len(STATES)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    assert rows[0] == {
        "librenms_id": "1", "hostname": "sw1.example.net", "name": "sw1", "status": "ready", "site": "LON1",
        "device_type": "C9300-48P", "platform": "ios", "role": "access", "rack": "R1", "cluster": "",
        "import_as": "device", "import": "yes", "issues": "", "warnings": "",
    }


def test_import_is_prefilled_for_ready_rows_only():
    assert [row["import"] for row in report_rows(STATES)] == ["yes", "", "", "", "", "yes"]


def test_issues_hold_review_and_conflict_and_warnings_the_existing_object():
    rows = {int(row["librenms_id"]): row for row in report_rows(STATES)}
    assert rows[2]["issues"] == "no role: set role, add a role_rules entry or set selections.2.role"
    assert rows[3]["issues"].startswith("no NetBox site matches location 'Lab'")
    assert rows[3]["warnings"] == "no NetBox platform matches os 'x'; add it to platform_map"
    assert rows[4]["issues"] == ""
    assert rows[4]["warnings"] == "already in NetBox as device 'sw4' (matched by librenms_id)"
    assert rows[5]["issues"] == "serial FOC5 already belongs to NetBox device 'other'"
    assert rows[6]["import_as"] == "vm" and rows[6]["cluster"] == "vmware" and rows[6]["site"] == ""


def test_status_counts_in_status_order_with_total():
    assert status_counts(report_rows(STATES)) == {"ready": 2, "needs_review": 1, "blocked": 1, "exists": 1,
                                                  "conflict": 1, "total": 6}


def test_csv_round_trips_through_the_selections_parser():
    parsed = parse_selections_csv(render_csv(report_rows(STATES)), "r.csv")
    assert parsed["rows"] == 6
    assert parsed["approved"] == [1, 6]
    assert parsed["selections"]["1"] == {"name": "sw1", "role": "access", "rack": "R1", "as_vm": False}
    assert parsed["selections"]["6"] == {"name": "sw6", "role": "server", "cluster": "vmware", "as_vm": True}
    assert parsed["selections"]["2"] == {"name": "sw2", "as_vm": False}
    # a formula name is escaped in the report, and refused (not unescaped into a NetBox name) when read back
    with pytest.raises(LibrenmsSyncError, match=r"r.csv line 8, column name: .* runs as a formula"):
        parse_selections_csv(render_csv(report_rows([*STATES, HOSTILE])), "r.csv")


def test_csv_defuses_spreadsheet_formulas():
    rows = list(csv.reader(io.StringIO(render_csv(report_rows([HOSTILE])))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][COLUMNS.index("name")] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][COLUMNS.index("warnings")] == "a | pipe & <b>bold</b>\nnewline"


def test_markdown_has_summary_then_one_table_line_per_row_with_escaped_cells():
    text = render_markdown(report_rows([*STATES, HOSTILE]), "Title", "server a|b")
    lines = text.splitlines()
    assert lines[0] == "# Title"
    assert lines[2] == "server a\\|b"
    assert lines[4] == "**Summary:** ready 3, needs_review 1, blocked 1, exists 1, conflict 1, total 7"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 7
    assert all(len(re.findall(r"(?<!\\)\|", line)) == len(COLUMNS) + 1 for line in table)
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "a \\| pipe &amp; &lt;b&gt;bold&lt;/b&gt; newline" in text


def test_html_is_self_contained_escaped_and_starts_with_the_summary():
    page = render_html(report_rows([*STATES, HOSTILE]), "Review <1>", "server default, filters {\"os\": \"<x>\"}")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>Review &lt;1&gt;</title>" in page
    assert not re.search(r"(src|href)\s*=|@import|url\(", page)
    assert page.index('id="summary"') < page.index('id="devices"')
    assert '<li class="ready"><strong>3</strong>ready</li>' in page
    assert '<li class="total"><strong>7</strong>total</li>' in page
    assert page.count("<tr class=") == 7


@pytest.mark.parametrize(("path", "given", "expected"), [
    ("/tmp/r.csv", None, "csv"), ("/tmp/r.MD", None, "markdown"), ("/tmp/r.html", None, "html"),
    ("/tmp/r.htm", None, "html"), ("/tmp/r.txt", None, "csv"), ("/tmp/r", None, "csv"),
    ("/tmp/r.csv", "html", "html"),
])
def test_format_from_option_then_extension_then_csv(path, given, expected):
    assert choose_format(path, given) == expected


def test_report_request_needs_a_path_for_a_format():
    assert report_request({}) is None
    assert report_request({"report_path": "/tmp/a.md"}) == {"path": "/tmp/a.md", "format": "markdown"}
    with pytest.raises(LibrenmsSyncError, match="report_format needs report_path"):
        report_request({"report_format": "html"})


def test_a_report_brings_the_search_into_the_task_unless_it_waits():
    assert in_task({"background": "auto"})["background"] == "never"
    assert in_task({"background": "always", "wait": True}) == {"background": "always", "wait": True}
    with pytest.raises(LibrenmsSyncError, match="with background: always, set wait: true"):
        in_task({"background": "always", "wait": False})


def test_markdown_and_html_reports_name_the_server_and_filters():
    result = {"devices": STATES, "filters": {"os": "ios"}, "server_key": "eu"}
    markdown = render_report("markdown", result, "2026-01-01 00:00:00 UTC")
    assert markdown["rows"] == 6
    assert 'server eu, filters {"os": "ios"}, generated 2026-01-01 00:00:00 UTC' in markdown["text"]
    html = render_report("html", result, "now")["text"]
    assert "server eu, filters {&quot;os&quot;: &quot;ios&quot;}, generated now" in html


def test_search_with_report_writes_the_file_and_reports_it(tmp_path):
    seen = []

    def search(params):
        seen.append(params)
        return {"changed": False, "devices": STATES, "summary": {}, "filters": {}}

    path = tmp_path / "review.csv"
    result = search_with_report({"report_path": str(path), "background": "auto"}, search)
    assert seen[0]["background"] == "never"
    assert result["report"] == {"path": str(path), "format": "csv", "rows": 6}
    assert result["changed"] is False
    assert path.read_text(encoding="utf-8") == render_csv(report_rows(STATES))


def test_search_without_report_is_left_alone():
    params = {"background": "auto"}
    assert search_with_report(params, lambda given: {"given": given}) == {"given": params}


def test_report_in_a_missing_directory_is_one_clear_error(tmp_path):
    with pytest.raises(LibrenmsSyncError, match=r"the directory .*nowhere does not exist"):
        search_with_report({"report_path": str(tmp_path / "nowhere" / "r.csv")},
                           lambda params: {"devices": [], "filters": {}})


def test_report_of_a_queued_search_without_rows_is_one_clear_error(tmp_path):
    with pytest.raises(LibrenmsSyncError, match="no device rows") as caught:
        search_with_report({"report_path": str(tmp_path / "r.csv"), "wait": True},
                           lambda params: {"job": {"id": "j1"}})
    assert json.dumps(caught.value.details) == '{"job": {"id": "j1"}}'
