"""Issue 14 against real services: a background import split into batch jobs over real `rq worker` processes, and
the job list of librenms_job_status. The fixtures and playbook helpers are test_jobs.py's (same estate, same
Redis scan for secrets after every test)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Dict, List

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs import queue as _jobs
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.batches import parent_view
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status

from tests.integration import test_jobs
from tests.integration.test_jobs import (
    FILTER,
    IMPORT,
    STATUS,
    assert_ok,
    change_count,
    fetch_job,
    import_args,
    run_steps,
    search_args,
)

pytestmark = pytest.mark.integration

# test_jobs.py's fixtures, shared (each module gets its own module-scoped ones)
estate, env, workdir, workers, rconn, redis_url = (test_jobs.estate, test_jobs.env, test_jobs.workdir,
                                                   test_jobs.workers, test_jobs.rconn, test_jobs.redis_url)
worker_env, hidden, no_secret_in_redis = test_jobs.worker_env, test_jobs.hidden, test_jobs.no_secret_in_redis

THRESHOLD = 60  # the estate's 300 devices (fewer once disabled and ignored ones are left out): 4 or 5 batch jobs


def parent_info(rconn, job_id: str) -> dict:
    job = fetch_job(rconn, job_id)
    return parent_view(job, _jobs.job_info(job))


def wait_parent(rconn, job_id: str, until, timeout: float = 300, interval: float = 0.2) -> List[dict]:
    """The parent's views (parent_view) until `until(view)` holds."""
    seen: List[dict] = []

    def reached(_info) -> bool:
        seen.append(parent_info(rconn, job_id))
        return until(seen[-1])

    test_jobs.poll(rconn, job_id, reached, timeout, interval)
    return seen


def imported_by_librenms_id(netbox) -> Dict[int, int]:
    found: Counter = Counter()
    for device in netbox.dcim.devices.filter(limit=1000, fields="id,custom_fields"):
        links = (device.custom_fields or {}).get("librenms_id")
        librenms_id = links.get("default") if isinstance(links, dict) else None  # the estate has a legacy int one
        if librenms_id is not None:
            found[librenms_id] += 1
    return dict(found)


def wipe(netbox) -> None:
    """Every device, VM and chassis an import made (test_jobs' estate fixture removes the rest at the end)."""
    chassis = [vc.id for vc in netbox.dcim.virtual_chassis.all() if (vc.domain or "").startswith("librenms-")]
    for start in range(0, len(chassis), 200):
        netbox.dcim.virtual_chassis.delete(chassis[start:start + 200])
    for endpoint in (netbox.dcim.devices, netbox.virtualization.virtual_machines):
        ids = [r.id for r in endpoint.filter(limit=1000, fields="id,comments") if "Imported from LibreNMS" in
               (r.comments or "")]
        for start in range(0, len(ids), 200):
            endpoint.delete(ids[start:start + 200])


def queue_split_import(env, workdir, **overrides) -> str:
    queued = assert_ok(run_steps(env, workdir, [{IMPORT: import_args(
        background="always", batch_jobs_threshold=THRESHOLD, **overrides)}])[0])
    assert queued["changed"] is True and queued["job_created"] is True, queued
    assert len(queued["job"]["batch_jobs"]) >= 4, queued["job"]
    return queued["job"]["id"]


def test_two_workers_split_an_import_and_the_parent_merges_each_device_once(estate, env, workdir, workers, rconn,
                                                                            netbox, redis_url):
    wipe(netbox)
    names = {workers.start().name, workers.start().name}
    job_id = queue_split_import(env, workdir)
    seen = wait_parent(rconn, job_id, lambda info: info["status"] in _jobs.FINAL)
    assert seen[-1]["status"] == "finished", seen[-1]
    running = [info["progress"] for info in seen if info["status"] == "started"]
    total = seen[-1]["progress"]["total"]
    assert running and all(p["phase"] == "batches" and p["total"] == total for p in running), running[:3]
    assert [p["processed"] for p in running] == sorted(p["processed"] for p in running)
    report = job_status({"redis_url": redis_url, "job_id": job_id})["job"]
    result = report["result"]
    assert {child["worker"] for child in report["batch_jobs"]} == names  # both workers ran batch jobs
    assert {child["status"] for child in report["batch_jobs"]} == {"finished"}
    assert result["completed"] is True and result["failures"] == [], result["failures"][:3]
    assert result["total"] == total == sum(child["devices"] for child in report["batch_jobs"]) > 250
    assert result["success_count"] == len(result["created"]) > 100
    created = [entry["device_id"] for entry in result["created"]]
    assert len(created) == len(set(created))
    assert sorted(result["imported_libre_device_ids"] + result["imported_libre_vm_ids"]) == sorted(created)
    counts = imported_by_librenms_id(netbox)
    assert set(counts.values()) == {1} and set(created) - {11} <= set(counts)  # device 11 is a VM
    for entry in result["created"]:  # a stack is whole: its chassis and members came with its batch
        if entry["virtual_chassis"]:
            chassis = list(netbox.dcim.virtual_chassis.filter(domain=f"librenms-default-{entry['device_id']}"))
            assert len(chassis) == 1
            members = list(netbox.dcim.devices.filter(virtual_chassis_id=chassis[0].id))
            assert len(members) == 1 + len(entry["virtual_chassis"]["members"])


def test_two_identical_requests_give_one_parent(estate, env, workdir, rconn, redis_url):
    # no worker runs: both requests find the first one's parent waiting
    first, second = run_steps(env, workdir, [{IMPORT: import_args(background="always",
                                                                  batch_jobs_threshold=THRESHOLD)}], hosts=2)
    assert first["job"]["id"] == second["job"]["id"]
    assert sorted([first["job_created"], second["job_created"]]) == [False, True]
    parents = [job for job in job_status({"redis_url": redis_url})["jobs"] if job["id"] == first["job"]["id"]]
    assert len(parents) == 1 and len(parents[0]["children"]) >= 4
    stopped = job_status({"redis_url": redis_url, "job_id": first["job"]["id"], "state": "stopped"})
    assert stopped["changed"] is True and stopped["job"]["status"] == "canceled"
    assert {child["status"] for child in stopped["job"]["batch_jobs"]} == {"canceled"}


def test_stopping_the_parent_stops_every_batch_job_and_nothing_is_written_after(
        estate, env, workdir, workers, rconn, netbox, redis_url):
    wipe(netbox)
    workers.start()
    job_id = queue_split_import(env, workdir, batch_size=1)
    wait_parent(rconn, job_id, lambda info: any(
        fetch_job(rconn, child["id"]).meta.get("phase") == "write" for child in info["batch_jobs"]), interval=0.05)
    stopped = job_status({"redis_url": redis_url, "job_id": job_id, "state": "stopped"})
    right_after = change_count(netbox)
    assert stopped["changed"] is True and stopped["job"]["status"] == "canceled", stopped["job"]
    states = Counter(child["status"] for child in stopped["job"]["batch_jobs"])
    assert states["stopped"] == 1 and states["canceled"] == len(stopped["job"]["batch_jobs"]) - 1, states
    time.sleep(4)
    assert change_count(netbox) == right_after  # no write after the stop
    assert {child["status"] for child in parent_info(rconn, job_id)["batch_jobs"]} <= {"stopped", "canceled"}


def test_sigkill_of_one_worker_fails_its_batch_alone_and_a_rerun_completes_it(estate, env, workdir, workers, rconn,
                                                                              netbox, librenms, redis_url):
    wipe(netbox)
    doomed, survivor = workers.start(), workers.start()
    librenms.configure(latency_ms=50)  # inventory calls: each batch takes a few seconds
    job_id = queue_split_import(env, workdir)
    seen = wait_parent(rconn, job_id, lambda info: any(
        child["worker"] == doomed.name and child["status"] == "started" for child in info["batch_jobs"]),
        interval=0.05)
    victim = next(child["id"] for child in seen[-1]["batch_jobs"] if child["worker"] == doomed.name)
    workers.kill(doomed)
    seen = wait_parent(rconn, job_id, lambda info: info["status"] in _jobs.FINAL)
    librenms.configure(latency_ms=0)
    report = job_status({"redis_url": redis_url, "job_id": job_id})["job"]
    assert report["status"] == "finished", report
    by_status = {child["id"]: child["status"] for child in report["batch_jobs"]}
    assert by_status[victim] == "failed" and set(by_status.values()) - {"failed"} == {"finished"}
    assert list(by_status.values()).count("failed") == 1, by_status
    result = report["result"]
    victim_devices = fetch_job(rconn, victim).args[0]["devices"]
    assert result["completed"] is False
    assert sorted(f["device_id"] for f in result["failures"]) == sorted(victim_devices)
    assert all("AbandonedJobError" in f["reason"] for f in result["failures"])
    assert survivor.name in {child["worker"] for child in report["batch_jobs"]}

    rerun = assert_ok(run_steps(env, workdir, [{IMPORT: import_args(
        background="always", batch_jobs_threshold=THRESHOLD, wait=True, wait_timeout=300)}])[0])
    assert rerun["completed"] is True and rerun["failures"] == [], rerun["failures"][:3]
    counts = imported_by_librenms_id(netbox)
    assert set(counts.values()) == {1}
    done = {entry["device_id"] for entry in result["created"] + rerun["created"]}
    assert set(victim_devices) <= done | {entry["device_id"] for entry in rerun["skipped_devices"]}
    assert not {entry["device_id"] for entry in result["created"]} & {e["device_id"] for e in rerun["created"]}


def test_the_job_list_shows_finished_failed_stopped_and_running_jobs(estate, env, workdir, workers, rconn,
                                                                     librenms, redis_url):
    workers.start()
    workers.start()
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    librenms.configure(latency_ms=0)
    finished, failed = run_steps(env, workdir, [
        {IMPORT: import_args(background="always", wait=True, all_devices=False, devices=[1, 2, 3])},
        # a NetBox these workers have no credentials for: the job fails
        {IMPORT: import_args(background="always", wait=True, all_devices=False, devices=[4],
                             netbox_url="http://127.0.0.1:9/")},
    ])
    assert_ok(finished)
    assert failed.get("failed") is True
    librenms.configure(latency_ms=400)
    stopped, running = (assert_ok(result) for result in run_steps(env, workdir, [
        {FILTER: search_args(background="always", filters={"os": "ios"}, all_devices=False)},
        {FILTER: search_args(background="always", filters={"os": "junos"}, all_devices=False)},
    ]))
    for job in (stopped, running):
        _wait_started(rconn, job["job"]["id"])
    assert job_status({"redis_url": redis_url, "job_id": stopped["job"]["id"], "state": "stopped"})["changed"]
    try:
        listed = assert_ok(run_steps(env, workdir, [{STATUS: {"since": started_at}}])[0])["jobs"]
        by_id = {job["id"]: job for job in listed}
        done, broken = by_id[finished["job"]["id"]], by_id[failed["job"]["id"]]
        halted, busy = by_id[stopped["job"]["id"]], by_id[running["job"]["id"]]
        assert (done["status"], broken["status"], halted["status"], busy["status"]) == (
            "finished", "failed", "stopped", "started")
        assert done["function"] == "import" and halted["function"] == "search" and done["server_key"] == "default"
        assert done["summary"]["total"] == 3 and done["summary"]["success_count"] + done["summary"][
            "skipped_count"] + done["summary"]["failed_count"] == 3
        for job in (done, broken, halted):
            assert job["duration_s"] is not None and job["duration_s"] >= 0 and job["ended_at"], job
        assert busy["duration_s"] is None and busy["started_at"] and busy["progress"]["phase"]
        assert broken["error"]["type"] == "LibrenmsSyncError" and halted["error"]["type"] == "JobStopped"
        assert [job["id"] for job in listed] == [job["id"] for job in sorted(
            listed, key=lambda job: job["enqueued_at"], reverse=True)]
        only_failed = job_status({"redis_url": redis_url, "status": ["failed", "stopped"], "since": started_at})
        assert {job["id"] for job in only_failed["jobs"]} == {broken["id"], halted["id"]}
        assert len(job_status({"redis_url": redis_url, "limit": 2})["jobs"]) == 2
    finally:
        job_status({"redis_url": redis_url, "job_id": running["job"]["id"], "state": "stopped"})
        librenms.configure(latency_ms=0)


def _wait_started(rconn, job_id: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _jobs.job_info(fetch_job(rconn, job_id))["progress"].get("phase") != "inventory":
        assert time.monotonic() < deadline, f"job {job_id} did not start"
        time.sleep(0.1)
