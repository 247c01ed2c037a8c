# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What librenms_device_filter returns of a search's rows: return_devices and result_fields."""

from __future__ import annotations

import copy
import csv
import importlib

import pytest
import yaml
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.shape import (
    FULL,
    IMPORTABLE_STATUSES,
    RETURN_DEVICES,
    ROW_KEYS,
    ResultShape,
    result_shape,
    search_shaped,
    shape_result,
    shape_rows,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import (
    STATUSES,
    DeviceState,
    status_counts,
)


def row(device_id, status):
    """A full search row: every DeviceState key, and the selection the assessment adds."""
    base = {key: None for key in DeviceState.__annotations__}
    base.update(status=status, device_id=device_id, name=f"sw{device_id}", hostname=f"sw{device_id}.example.net",
                import_as="device", issues=["no site"] if status == "blocked" else [],
                review=["no role"] if status == "needs_review" else [], warnings=[],
                site={"id": 1, "name": "LON1", "matched_by": "name"}, librenms_status=True, disabled=False,
                ignore=False, selection={"role": "core"} if device_id == 2 else {})
    return base


ROWS = [row(1, "ready"), row(2, "needs_review"), row(3, "blocked"), row(4, "exists"), row(5, "conflict"),
        row(6, "ready")]
RESULT = {"changed": False, "devices": ROWS, "summary": status_counts(ROWS), "filters": {}, "server_key": "default",
          "device_ids": [1, 2, 3, 4, 5, 6], "total_processed": 6, "api_calls": {"netbox": 10},
          "report": {"path": "/tmp/r.csv", "format": "csv", "rows": 6}, "job": {"id": "j1", "status": "finished"}}


def test_row_keys_are_the_device_state_and_the_selection():
    assert ROW_KEYS[:3] == ("status", "device_id", "hostname")
    assert set(ROW_KEYS) == set(DeviceState.__annotations__) | {"selection"}
    assert len(ROW_KEYS) == len(set(ROW_KEYS)) == 27
    assert set(ROWS[0]) == set(ROW_KEYS)


def test_importable_means_ready_or_needs_review():
    assert IMPORTABLE_STATUSES == ("ready", "needs_review")
    assert set(IMPORTABLE_STATUSES) < set(STATUSES)


@pytest.mark.parametrize(("params", "shape"), [
    ({}, FULL),
    ({"return_devices": None, "result_fields": None}, FULL),
    ({"return_devices": "all", "result_fields": []}, FULL),
    ({"return_devices": "importable"}, ResultShape("importable", None)),
    ({"return_devices": "none"}, ResultShape("none", None)),
    ({"result_fields": ["name", "device_id", "name"]}, ResultShape("all", ("name", "device_id"))),
    ({"return_devices": "none", "result_fields": ["status"]}, ResultShape("none", ("status",))),
])
def test_result_shape(params, shape):
    assert result_shape(params) == shape


def test_an_unknown_key_fails_in_one_line_naming_the_option_and_every_valid_key():
    with pytest.raises(LibrenmsSyncError) as caught:
        result_shape({"result_fields": ["status", "colour"]})
    msg = caught.value.msg
    assert msg == f"result_fields: unknown key 'colour'; valid keys are: {', '.join(ROW_KEYS)}"
    assert "\n" not in msg and "selection" in msg and "virtual_chassis" in msg


def test_unknown_keys_are_all_named():
    with pytest.raises(LibrenmsSyncError, match=r"^result_fields: unknown keys 'Status', 'existing\.name'; valid"):
        result_shape({"result_fields": ["Status", "device_id", "existing.name"]})


def test_an_unknown_return_devices_fails():
    with pytest.raises(LibrenmsSyncError, match="return_devices must be one of all, importable, none, got 'some'"):
        result_shape({"return_devices": "some"})


@pytest.mark.parametrize("devices", RETURN_DEVICES)
@pytest.mark.parametrize("fields", [None, ("device_id", "status"), ("selection",), tuple(ROW_KEYS)])
def test_shape_rows_every_choice(devices, fields):
    before = copy.deepcopy(ROWS)
    rows = shape_rows(ROWS, ResultShape(devices, fields))
    assert before == ROWS  # the rows given (the cache's, the job's, the report's) are left alone
    if devices == "none":
        assert rows is None
        return
    chosen = ROWS if devices == "all" else [r for r in ROWS if r["status"] in ("ready", "needs_review")]
    assert len(rows) == (6 if devices == "all" else 3)
    if fields is None:
        assert rows == chosen and rows is not ROWS
    else:
        assert rows == [{key: r[key] for key in fields} for r in chosen]
        assert all(list(r) == list(fields) for r in rows)


def test_importable_rows_are_ready_and_needs_review_in_their_order():
    rows = shape_rows(ROWS, ResultShape("importable", ("device_id", "status", "selection")))
    assert rows == [{"device_id": 1, "status": "ready", "selection": {}},
                    {"device_id": 2, "status": "needs_review", "selection": {"role": "core"}},
                    {"device_id": 6, "status": "ready", "selection": {}}]


def test_a_key_a_row_lacks_is_left_out_not_invented():
    old = {"status": "ready", "device_id": 9, "name": "old"}  # e.g. a row of an older job
    assert shape_rows([old], ResultShape("all", ("device_id", "selection"))) == [{"device_id": 9}]


@pytest.mark.parametrize("devices", RETURN_DEVICES)
def test_no_rows(devices):
    expected = None if devices == "none" else []
    assert shape_rows([], ResultShape(devices, ("status",))) == expected
    shaped = shape_result(dict(RESULT, devices=[], summary=status_counts([])), ResultShape(devices, ("status",)))
    assert ("devices" in shaped) is (devices != "none")


def test_shape_result_keeps_every_other_key():
    before = copy.deepcopy(RESULT)
    none = shape_result(RESULT, ResultShape("none", None))
    assert "devices" not in none
    assert none == {key: value for key, value in RESULT.items() if key != "devices"}
    importable = shape_result(RESULT, ResultShape("importable", ("device_id",)))
    assert importable["devices"] == [{"device_id": 1}, {"device_id": 2}, {"device_id": 6}]
    assert importable["summary"] == RESULT["summary"] and importable["summary"]["total"] == 6
    assert importable["device_ids"] == [1, 2, 3, 4, 5, 6]  # every device found, whatever the shape
    assert before == RESULT


def test_the_full_shape_returns_the_result_itself():
    assert shape_result(RESULT, FULL) is RESULT


def test_a_queued_job_without_rows_is_returned_as_it_is():
    queued = {"changed": False, "job": {"id": "j1", "status": "queued"}, "job_created": True}
    assert shape_result(queued, ResultShape("importable", ("status",))) is queued


def test_search_shaped_checks_the_shape_before_searching():
    def search(params):
        raise AssertionError("searched")

    with pytest.raises(LibrenmsSyncError, match="result_fields: unknown key 'colour'"):
        search_shaped({"result_fields": ["colour"]}, search)


def test_search_shaped_shapes_a_waited_job_and_leaves_what_the_search_returned_alone():
    waited = copy.deepcopy(RESULT)

    def search(params):
        assert params["return_devices"] == "importable"
        return waited

    shaped = search_shaped({"return_devices": "importable", "result_fields": ["status"], "wait": True}, search)
    assert shaped["devices"] == [{"status": "ready"}, {"status": "needs_review"}, {"status": "ready"}]
    assert shaped["job"] == RESULT["job"]
    assert waited == RESULT  # the job's stored result, as fetched, is not changed


def test_search_shaped_writes_every_row_to_the_report(tmp_path):
    path = tmp_path / "review.csv"
    shaped = search_shaped({"report_path": str(path), "return_devices": "none", "background": "never"},
                           lambda params: copy.deepcopy(RESULT))
    assert "devices" not in shaped
    assert shaped["report"] == {"path": str(path), "format": "csv", "rows": 6}
    with open(path, encoding="utf-8", newline="") as handle:
        assert [line["librenms_id"] for line in csv.DictReader(handle)] == ["1", "2", "3", "4", "5", "6"]


def module_documentation() -> dict:
    module = importlib.import_module("ansible_collections.netbox_librenms.sync.plugins.modules.librenms_device_filter")
    return yaml.safe_load(module.DOCUMENTATION)


def test_the_module_documents_every_valid_key_and_choice():
    options = module_documentation()["options"]
    text = " ".join(options["result_fields"]["description"])
    assert [key for key in ROW_KEYS if f"V({key})" not in text] == []
    assert options["return_devices"]["choices"] == list(RETURN_DEVICES)
    assert options["return_devices"]["default"] == "all"
