# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import COLUMNS
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.selections_file import (
    merge_selections,
    parse_selections_csv,
    read_selections_file,
    run_with_selections_file,
)

HEADER = ",".join(COLUMNS)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def row(device_id="1", hostname="sw1.example.net", name="sw1", role="access", rack="", cluster="",
        import_as="device", approve="yes") -> str:
    return ",".join([device_id, hostname, name, "ready", "LON1", "C9300", "ios", role, rack, cluster, import_as,
                     approve, "", ""])


def problems_of(text: str) -> list:
    with pytest.raises(LibrenmsSyncError) as caught:
        parse_selections_csv(text, "/tmp/r.csv")
    assert caught.value.msg.count("/tmp/r.csv") >= len(caught.value.details.get("problems", [])) >= 1
    return caught.value.details.get("problems") or [caught.value.msg]


def test_rows_give_approved_ids_and_per_row_choices():
    parsed = parse_selections_csv(csv_text(
        row("1", rack="R1"), row("2", role="", approve=""), row("3", import_as="vm", cluster="vmw", approve="no"),
        row("4", import_as="", role=" core ", approve="YES"),
    ), "r.csv")
    assert parsed["approved"] == [1, 4]
    assert parsed["rows"] == 4
    assert parsed["selections"] == {
        "1": {"name": "sw1", "role": "access", "rack": "R1", "as_vm": False},
        "2": {"name": "sw1", "as_vm": False},
        "3": {"name": "sw1", "role": "access", "cluster": "vmw", "as_vm": True},
        "4": {"name": "sw1", "role": "core"},
    }
    assert parsed["lines"] == {"1": 2, "2": 3, "3": 4, "4": 5}
    assert parsed["hostnames"]["1"] == "sw1.example.net"


def test_only_librenms_id_is_required_and_columns_may_come_in_any_order():
    parsed = parse_selections_csv("import,Librenms_ID,role\nyes,17,core\n,18,\n", "r.csv")
    assert parsed["approved"] == [17]
    assert parsed["selections"] == {"17": {"role": "core"}, "18": {}}


def test_blank_lines_before_the_header_are_skipped_and_broken_csv_is_one_clear_error():
    assert parse_selections_csv("\n\nlibrenms_id;role\n5;core\n", "r.csv")["selections"] == {"5": {"role": "core"}}
    with pytest.raises(LibrenmsSyncError, match=r"r\.csv line 3 is not CSV: field larger than field limit"):
        parse_selections_csv("librenms_id,name\n1,a\n2," + "x" * 200_000 + "\n", "r.csv")


def test_blank_lines_bom_semicolons_and_quoted_newlines():
    text = "librenms_id;name;import\n\n17;\"two\nlines\";yes\n;;\n18;x;no\n"
    parsed = parse_selections_csv(text, "r.csv")
    assert parsed["approved"] == [17]
    assert parsed["selections"]["17"] == {"name": "two\nlines"}
    assert parsed["selections"]["18"] == {"name": "x"}
    assert parsed["lines"] == {"17": 3, "18": 6}


@pytest.mark.parametrize(("text", "expected"), [
    (csv_text(row(), header=HEADER + ",colour"), "/tmp/r.csv line 1, column colour: unknown column"),
    ("librenms_id,role,role\n1,a,b\n", "/tmp/r.csv line 1, column role: the column appears twice"),
    ("hostname,role\nsw1,a\n", "/tmp/r.csv line 1, column librenms_id: the header has no librenms_id column"),
    (csv_text(row("abc")), "/tmp/r.csv line 2, column librenms_id: 'abc' is not a LibreNMS device id"),
    (csv_text(row("-3")), "/tmp/r.csv line 2, column librenms_id: '-3' is not a LibreNMS device id"),
    (csv_text(row("²")), "/tmp/r.csv line 2, column librenms_id: '²' is not a LibreNMS device id"),
    (csv_text(row("")), "/tmp/r.csv line 2, column librenms_id: empty"),
    (csv_text(row("5"), row("6"), row("5")), "/tmp/r.csv line 4, column librenms_id: device 5 is already on line 2"),
    (csv_text(row(import_as="vmm")), "/tmp/r.csv line 2, column import_as: 'vmm' is not device or vm"),
    (csv_text(row(approve="maybe")), "/tmp/r.csv line 2, column import: 'maybe' is not yes, no or empty"),
    (csv_text(row(cluster="vmw")), "/tmp/r.csv line 2, column cluster: a cluster is only used with import_as vm"),
    (csv_text(row(import_as="vm", cluster="c", rack="R1")), "/tmp/r.csv line 2, column rack: a VM has no rack"),
    (csv_text(row() + ",extra"), "/tmp/r.csv line 2, column 15 (not in the header): 15 cells but the header has 14"),
])
def test_every_bad_row_kind_names_file_line_and_column(text, expected):
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


@pytest.mark.parametrize("cell", ["'=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", "'+1+1", "'@SUM(A1)", "-2+3"])
def test_a_formula_name_is_refused_whether_escaped_or_not(cell):
    # the report writes '=... (escaped); the reader takes the escape off, so both spellings must be refused
    quoted = '"' + cell.replace('"', '""') + '"'
    (problem,) = problems_of(csv_text(row(name=quoted)))
    assert problem.startswith("/tmp/r.csv line 2, column name: "), problem
    assert "which a spreadsheet runs as a formula" in problem


def test_every_bad_row_is_reported_in_one_failure():
    text = csv_text(row("1"), row("x"), row("2", import_as="box"), row("3", approve="ja"), row("1"))
    with pytest.raises(LibrenmsSyncError) as caught:
        parse_selections_csv(text, "r.csv")
    lines = [problem.split(",")[0] for problem in caught.value.details["problems"]]
    assert lines == ["r.csv line 3", "r.csv line 4", "r.csv line 5", "r.csv line 6"]
    assert caught.value.msg.startswith("4 problem(s) in r.csv: r.csv line 3, column librenms_id")


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_an_empty_file_is_one_clear_error(text):
    with pytest.raises(LibrenmsSyncError, match=r"r\.csv is empty: it needs a header line with librenms_id"):
        parse_selections_csv(text, "r.csv")


def parsed_rows(*rows):
    return parse_selections_csv(csv_text(*rows), "r.csv")


def test_without_devices_the_approved_rows_are_imported():
    parsed = parsed_rows(row("1"), row("2", approve="no"))
    params, lines = merge_selections({"devices": [], "selections": {}, "filters": {}}, parsed, "r.csv")
    assert params["devices"] == [1]
    assert set(params["selections"]) == {"1", "2"}
    assert params["selections_file"] is None
    assert lines == {"1": 2, "2": 3}


@pytest.mark.parametrize("chooser", [{"devices": [9]}, {"all_devices": True}, {"filters": {"os": "ios"}},
                                     {"from_job": "abc"}])
def test_with_devices_given_the_file_only_supplies_choices(chooser):
    parsed = parsed_rows(row("1"), row("2", approve="no"))
    params, _lines = merge_selections(dict({"devices": [], "selections": {}}, **chooser), parsed, "r.csv")
    assert params.get("devices") == chooser.get("devices", [])
    assert set(params["selections"]) == {"1", "2"}


def test_explicit_selections_replace_the_row_by_id_or_hostname():
    parsed = parsed_rows(row("1", rack="R1"), row("2", hostname="SW2.example.net"), row("3"))
    explicit = {"1": {"rack": "R9"}, "sw2.example.net": {"role": "core"}}
    params, lines = merge_selections({"selections": explicit}, parsed, "r.csv")
    assert params["selections"]["1"] == {"rack": "R9"}
    assert "2" not in params["selections"] and params["selections"]["sw2.example.net"] == {"role": "core"}
    assert params["selections"]["3"]["role"] == "access"
    assert lines == {"3": 4}


def test_a_file_approving_nothing_without_devices_is_one_clear_error():
    with pytest.raises(LibrenmsSyncError, match=r"selections_file r\.csv approves no device: set import to yes"):
        merge_selections({"selections": {}}, parsed_rows(row("1", approve="no")), "r.csv")


def test_read_errors_are_one_clear_error(tmp_path):
    with pytest.raises(LibrenmsSyncError, match="does not exist"):
        read_selections_file(str(tmp_path / "missing.csv"))
    with pytest.raises(LibrenmsSyncError, match="is a directory"):
        read_selections_file(str(tmp_path))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("librenms_id,name\n1,Zürich\n".encode("latin-1"))
    with pytest.raises(LibrenmsSyncError, match=r"is not UTF-8 text .*save it as CSV UTF-8"):
        read_selections_file(str(latin))
    bom = tmp_path / "bom.csv"
    bom.write_bytes("librenms_id,name\n1,Zürich\n".encode("utf-8-sig"))
    assert parse_selections_csv(read_selections_file(str(bom)), "bom.csv")["selections"] == {"1": {"name": "Zürich"}}


def test_run_with_the_file_names_option_problems_by_line_and_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(csv_text(row("1"), row("2", role="nope")), encoding="utf-8")

    def run(params):
        assert params["devices"] == [1, 2]
        problems = ["selections.2.role names role 'nope', which does not exist in NetBox", "role_rules[0] is bad"]
        raise LibrenmsSyncError("Invalid options: " + "; ".join(problems), {"problems": problems})

    with pytest.raises(LibrenmsSyncError) as caught:
        run_with_selections_file({"selections_file": str(path), "selections": {}}, run)
    assert caught.value.details["problems"] == [
        f"{path} line 3, column role: names role 'nope', which does not exist in NetBox", "role_rules[0] is bad"]


def test_run_with_the_file_reports_what_it_read(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(csv_text(row("1"), row("2", approve="")), encoding="utf-8")
    result = run_with_selections_file({"selections_file": str(path)}, lambda params: {"devices": params["devices"]})
    assert result == {"devices": [1], "selections_file": {"path": str(path), "rows": 2, "approved": 1}}
    assert run_with_selections_file({"selections_file": None}, lambda params: {"ran": True}) == {"ran": True}


def test_a_file_with_very_many_bad_rows_tells_the_first_20_problems_and_counts_the_rest():
    text = csv_text(*(row(str(n), import_as="perhaps") for n in range(1, 100001)))
    with pytest.raises(LibrenmsSyncError) as caught:
        parse_selections_csv(text, "/tmp/r.csv")
    message = caught.value.msg
    assert message.startswith("100000 problem(s) in /tmp/r.csv: /tmp/r.csv line 2, column import_as: ")
    assert message.endswith("; and 99980 more problem(s)")
    assert len(message) < 2000 and "\n" not in message
    assert len(caught.value.details["problems"]) == 20 and caught.value.details["problem_count"] == 100000


def test_many_option_problems_of_the_file_are_cut_the_same_way(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(csv_text(*(row(str(n)) for n in range(1, 31))), encoding="utf-8")

    def run(params):
        problems = [f"selections.{n}.role names role 'nope', which does not exist in NetBox" for n in range(1, 31)]
        raise LibrenmsSyncError("Invalid options: " + "; ".join(problems), {"problems": problems})

    with pytest.raises(LibrenmsSyncError) as caught:
        run_with_selections_file({"selections_file": str(path), "selections": {}}, run)
    assert caught.value.msg.endswith("; and 10 more problem(s)")
    assert len(caught.value.details["problems"]) == 20 and caught.value.details["problem_count"] == 30
    assert caught.value.details["problems"][0] == f"{path} line 2, column role: names role 'nope', which does not " \
                                                  "exist in NetBox"
