# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of a search: when one is asked for, how the search is kept in the task, rendering and writing."""

from __future__ import annotations

import csv
import io

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.output import (
    TITLE,
    in_task,
    render_report,
    report_request,
    write_text,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import (
    COLUMNS,
    render_csv,
    report_rows,
)


def state(device_id, status="ready", **extra):
    base = {
        "status": status, "device_id": device_id, "hostname": f"sw{device_id}.zurich.example.net", "sysname": None,
        "name": f"sw{device_id}", "import_as": "device", "issues": [], "review": [], "warnings": [],
        "site": {"id": 10, "name": "Zürich", "matched_by": "name"},
        "device_type": {"id": 100, "name": "C9300-48P", "matched_by": "model"},
        "platform": None, "role": {"id": 300, "name": "access", "matched_by": "role"},
        "rack": None, "cluster": None, "existing": None, "virtual_chassis": None,
    }
    base.update(extra)
    return base


RESULT = {"changed": False, "server_key": "eu", "filters": {"os": "ios", "location": "Zürich"},
          "devices": [state(1), state(2, "blocked", issues=["no role"]), state(3)]}
WHEN = "2026-03-01 08:00:00 UTC"
META = 'server eu, filters {"location": "Zürich", "os": "ios"}, generated 2026-03-01 08:00:00 UTC'


@pytest.mark.parametrize(("params", "request_"), [
    ({}, None),
    ({"report_path": None, "report_format": None}, None),
    ({"report_path": "", "report_format": ""}, None),
    ({"report_path": "/srv/reports/review.csv"}, {"path": "/srv/reports/review.csv", "format": "csv"}),
    ({"report_path": "/srv/reports/Review.HTM"}, {"path": "/srv/reports/Review.HTM", "format": "html"}),
    ({"report_path": "/srv/reports/review.markdown"}, {"path": "/srv/reports/review.markdown", "format": "markdown"}),
    ({"report_path": "/srv/reports/review"}, {"path": "/srv/reports/review", "format": "csv"}),
    ({"report_path": "/srv/reports/review.csv", "report_format": "markdown"},
     {"path": "/srv/reports/review.csv", "format": "markdown"}),
])
def test_report_request(params, request_):
    assert report_request(params) == request_


@pytest.mark.parametrize("path", [None, ""])
def test_a_format_without_a_path_is_refused(path):
    with pytest.raises(LibrenmsSyncError) as raised:
        report_request({"report_path": path, "report_format": "csv"})
    assert raised.value.msg == "report_format needs report_path: the file to write the report to"


@pytest.mark.parametrize("params", [
    {"wait": True, "background": "auto"},
    {"wait": True, "background": "always"},
    {"background": "never"},
    {"wait": False, "background": "never"},
])
def test_a_search_that_comes_back_to_the_task_is_left_as_it_is(params):
    assert in_task(params) is params


@pytest.mark.parametrize("background", [None, "auto"])
def test_a_search_that_could_go_to_the_background_runs_in_the_task(background):
    params = {"background": background, "wait": False, "filters": {"os": "ios"}}
    kept = dict(params)
    assert in_task(params) == dict(params, background="never")
    assert params == kept  # a copy: the caller's params are not changed
    assert in_task({"filters": {}}) == {"filters": {}, "background": "never"}


def test_a_background_search_without_wait_cannot_have_a_report():
    with pytest.raises(LibrenmsSyncError) as raised:
        in_task({"background": "always"})
    assert raised.value.msg == ("report_path needs the search's rows in this task: with background: always, "
                                "set wait: true")


def test_csv_report_is_the_editable_table_only():
    report = render_report("csv", RESULT, WHEN)
    assert report == {"text": render_csv(report_rows(RESULT["devices"])), "rows": 3}
    table = list(csv.reader(io.StringIO(report["text"])))
    assert table[0] == list(COLUMNS)
    assert [row[0] for row in table[1:]] == ["1", "2", "3"]
    assert WHEN not in report["text"] and TITLE not in report["text"]


def test_markdown_report_has_title_facts_summary_and_rows():
    report = render_report("markdown", RESULT, WHEN)
    lines = report["text"].splitlines()
    assert report["rows"] == 3
    assert lines[:5] == [f"# {TITLE}", "", META, "", "**Summary:** ready 2, needs_review 0, blocked 1, exists 0, "
                         "conflict 0, total 3"]
    assert [line.split(" | ")[0] for line in lines[8:]] == ["| 1", "| 2", "| 3"]


def test_html_report_has_title_facts_and_rows():
    report = render_report("html", RESULT, WHEN)
    assert report["rows"] == 3
    assert f"<title>{TITLE}</title>" in report["text"]
    assert '<p class="meta">server eu, filters {&quot;location&quot;: &quot;Zürich&quot;, &quot;os&quot;: ' \
           '&quot;ios&quot;}, generated 2026-03-01 08:00:00 UTC</p>' in report["text"]
    assert report["text"].count("<tr class=") == 3


def test_meta_of_a_result_without_server_key_or_filters():
    report = render_report("markdown", {"devices": []}, WHEN)
    assert "server default, filters {}, generated 2026-03-01 08:00:00 UTC" in report["text"].splitlines()
    assert report["rows"] == 0


def test_write_text_writes_utf8_exactly_and_replaces_an_old_report(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("old report, longer than the new one\n" * 10, encoding="utf-8")
    text = 'librenms_id,site\r\n1,Zürich\r\n2,"a\nb"\n'
    write_text(str(path), text)
    assert path.read_bytes() == text.encode("utf-8")  # no newline translation, no BOM


def test_write_text_to_a_bare_file_name_writes_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_text("review.md", "# Report\n")
    assert (tmp_path / "review.md").read_text(encoding="utf-8") == "# Report\n"


def test_write_text_into_a_missing_directory_names_report_path_and_the_directory(tmp_path):
    path = tmp_path / "reports" / "2026" / "review.csv"
    with pytest.raises(LibrenmsSyncError) as raised:
        write_text(str(path), "x")
    assert raised.value.msg == f"report_path {path}: the directory {tmp_path / 'reports' / '2026'} does not exist"
    assert not (tmp_path / "reports").exists()


def test_write_text_onto_a_directory_names_report_path_and_the_reason(tmp_path):
    target = tmp_path / "review.csv"
    target.mkdir()
    with pytest.raises(LibrenmsSyncError) as raised:
        write_text(str(target), "x")
    assert raised.value.msg == f"report_path {target} cannot be written: Is a directory"
    assert raised.value.__suppress_context__


def test_write_text_under_a_file_names_report_path(tmp_path):
    (tmp_path / "reports").write_text("a file, not a directory", encoding="utf-8")
    path = tmp_path / "reports" / "review.csv"
    with pytest.raises(LibrenmsSyncError) as raised:
        write_text(str(path), "x")
    assert raised.value.msg.startswith(f"report_path {path}")
    assert (tmp_path / "reports").read_text(encoding="utf-8") == "a file, not a directory"
