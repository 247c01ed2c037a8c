# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An import split into batch jobs: how devices are split, and how the parent merges what its batch jobs return."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs import batches
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches import merge_results, split_devices
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.job_list import check_statuses, parse_since


def test_split_keeps_each_device_once_in_order_and_rows_whole():
    row = {"device_id": 7, "selection": {"rack": "R1"}}  # a stack: one LibreNMS device, one entry
    devices = [1, 2, row, "sw3.example.net", 2, "SW3.example.net ", 8, 9]
    split = split_devices(devices, 3)
    assert split == [[1, 2, row], ["sw3.example.net", 8, 9]]
    assert split_devices(list(range(10)), 4) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert split_devices([], 4) == []


def child(job_id, status, devices, result=None, error=None):
    return SimpleNamespace(id=job_id, status=status, worker_name=f"w-{job_id}", args=({"devices": devices},),
                           meta={"devices": len(devices)}, result=result, error=error,
                           get_status=lambda refresh=False, status=status: status)


def batch_result(created_ids, failed=()):
    created = [{"device_id": i, "name": f"sw{i}", "kind": "device", "netbox_id": 1000 + i, "url": None,
                "virtual_chassis": None} for i in created_ids]
    failures = [{"device_id": i, "name": f"sw{i}", "netbox_id": None, "url": None, "reason": "refused"}
                for i in failed]
    return {"created": created, "updated": [], "skipped_devices": [], "failures": failures, "warnings": ["w"],
            "errors": [f"sw{i}: refused" for i in failed], "imported_device_pks": [1000 + i for i in created_ids],
            "imported_vm_pks": [], "imported_libre_device_ids": list(created_ids), "imported_libre_vm_ids": [],
            "total": len(created_ids) + len(failed), "success_count": len(created_ids), "failed_count": len(failed),
            "skipped_count": 0, "virtual_chassis_created": 0, "changed": bool(created_ids),
            "custom_field_created": False, "server_key": "default",
            "api_calls": {"netbox": 12, "netbox_writes": 2, "librenms": {"list_devices": 1, "inventory_all": 3}}}


@pytest.fixture()
def fake_rq(monkeypatch):
    monkeypatch.setattr(batches, "result_of", lambda job: job.result)
    monkeypatch.setattr(batches, "error_of", lambda job: job.error)


def test_merge_adds_up_the_batches_and_a_failed_batch_fails_only_its_devices(fake_rq):
    children = [
        child("a", "finished", [1, 2, 3], batch_result([1, 2], failed=[3])),
        child("b", "failed", [4, "sw5.example.net"], error={"type": "AbandonedJobError", "message": "worker died"}),
        child("c", "finished", [6], batch_result([6])),
    ]
    merged = merge_results(children)
    assert merged["imported_device_pks"] == [1001, 1002, 1006]
    assert merged["imported_libre_device_ids"] == [1, 2, 6]
    assert [f["device_id"] for f in merged["failures"]] == [3, 4, None]
    assert merged["failures"][2]["name"] == "sw5.example.net"
    assert "batch job b ended failed: AbandonedJobError: worker died" in merged["failures"][1]["reason"]
    assert len(merged["errors"]) == 3
    assert merged["summary"] == {"total": 6, "success_count": 3, "failed_count": 3, "skipped_count": 0,
                                 "virtual_chassis_created": 0}
    assert merged["completed"] is False and merged["changed"] is True
    assert merged["api_calls"] == {"netbox": 24, "netbox_writes": 4,
                                   "librenms": {"list_devices": 2, "inventory_all": 6}}
    assert [b["status"] for b in merged["batch_jobs"]] == ["finished", "failed", "finished"]
    assert merged["warnings"] == ["w", "w"]


def test_merge_of_finished_batches_is_completed(fake_rq):
    merged = merge_results([child("a", "finished", [1], batch_result([])),
                            child("b", "finished", [2], batch_result([]))])
    assert merged["completed"] is True and merged["changed"] is False and merged["failures"] == []


def test_since_reads_iso_times_and_ages():
    now = datetime.datetime(2026, 12, 6, 5, 0, tzinfo=datetime.timezone.utc)
    assert parse_since("90m", now) == now - datetime.timedelta(minutes=90)
    assert parse_since("2d", now) == now - datetime.timedelta(days=2)
    assert parse_since("2026-12-06T04:00:00Z", now) == now - datetime.timedelta(hours=1)
    assert parse_since("2026-12-06T04:00:00", now) == now - datetime.timedelta(hours=1)
    assert parse_since(None, now) is None
    with pytest.raises(LibrenmsSyncError, match="since 'yesterday' is neither"):
        parse_since("yesterday", now)


def test_an_unknown_status_is_refused_in_one_line():
    assert check_statuses(["failed", "stopped"]) == ["failed", "stopped"]
    with pytest.raises(LibrenmsSyncError, match="status 'done' is not a job status"):
        check_statuses(["done"])
