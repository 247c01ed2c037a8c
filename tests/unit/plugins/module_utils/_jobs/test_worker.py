# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import re

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs import worker as _job_functions
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker import (
    JobProgress,
    JobStopTimeout,
    StopRequested,
    worker_credentials,
)

JOB = {"server_key": "dc1", "librenms_url": "https://librenms.example.net", "netbox_url": "https://netbox.example.net/",
       "all_devices": True}
ENV = ("LIBRENMS_URL", "LIBRENMS_TOKEN", "NETBOX_URL", "NETBOX_API", "NETBOX_TOKEN", "NETBOX_LIBRENMS_CREDENTIALS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETBOX_LIBRENMS_CREDENTIALS", str(tmp_path / "absent.yml"))


def set_env(monkeypatch, **values):
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def write_file(tmp_path, monkeypatch, data, mode=0o600):
    path = tmp_path / "credentials.yml"
    path.write_text(json.dumps(data))  # JSON is YAML
    path.chmod(mode)
    monkeypatch.setenv("NETBOX_LIBRENMS_CREDENTIALS", str(path))
    return path


def test_tokens_from_the_environment_when_the_urls_match(monkeypatch):
    set_env(monkeypatch, LIBRENMS_URL="https://LibreNMS.example.net/", LIBRENMS_TOKEN="lt",
            NETBOX_URL="https://netbox.example.net", NETBOX_TOKEN="nt")
    filled = worker_credentials(JOB)
    assert filled["librenms_token"] == "lt" and filled["netbox_token"] == "nt"
    assert filled["all_devices"] is True
    assert "librenms_token" not in JOB  # the job's options are not changed


def test_netbox_api_is_accepted_for_the_netbox_url(monkeypatch):
    set_env(monkeypatch, LIBRENMS_URL=JOB["librenms_url"], LIBRENMS_TOKEN="lt", NETBOX_API=JOB["netbox_url"],
            NETBOX_TOKEN="nt")
    assert worker_credentials(JOB)["netbox_token"] == "nt"


def test_environment_for_another_server_is_not_used(monkeypatch):
    set_env(monkeypatch, LIBRENMS_URL="https://other.example.net", LIBRENMS_TOKEN="lt",
            NETBOX_URL=JOB["netbox_url"], NETBOX_TOKEN="nt")
    with pytest.raises(LibrenmsSyncError) as caught:
        worker_credentials(JOB)
    assert caught.value.msg.startswith(
        "this worker has no librenms credentials for server key 'dc1' at https://librenms.example.net: "
        "set LIBRENMS_URL and LIBRENMS_TOKEN in its environment or add the server to ")


def test_missing_netbox_credentials_are_named(monkeypatch):
    set_env(monkeypatch, LIBRENMS_URL=JOB["librenms_url"], LIBRENMS_TOKEN="lt")
    expected = ("no netbox credentials for server key 'dc1' at https://netbox.example.net/: "
                "set NETBOX_URL and NETBOX_TOKEN")
    with pytest.raises(LibrenmsSyncError, match=re.escape(expected)):
        worker_credentials(JOB)


def test_tokens_from_the_file_by_server_key(tmp_path, monkeypatch):
    path = write_file(tmp_path, monkeypatch, {"servers": {
        "dc1": {"librenms_url": JOB["librenms_url"], "librenms_token": "file-lt",
                "netbox_url": "https://netbox.example.net", "netbox_token": "file-nt"},
        "dc2": {"librenms_url": "https://dc2.example.net", "librenms_token": "x"},
    }})
    filled = worker_credentials(JOB)
    assert (filled["librenms_token"], filled["netbox_token"]) == ("file-lt", "file-nt")
    with pytest.raises(LibrenmsSyncError, match=re.escape(f"add the server to {path}")):
        worker_credentials(dict(JOB, server_key="dc2"))


def test_the_file_wins_over_the_environment_and_may_omit_the_servers_level(tmp_path, monkeypatch):
    write_file(tmp_path, monkeypatch, {"dc1": {"librenms_url": JOB["librenms_url"], "librenms_token": "file-lt"}})
    set_env(monkeypatch, LIBRENMS_URL=JOB["librenms_url"], LIBRENMS_TOKEN="env-lt",
            NETBOX_URL=JOB["netbox_url"], NETBOX_TOKEN="env-nt")
    filled = worker_credentials(JOB)
    assert (filled["librenms_token"], filled["netbox_token"]) == ("file-lt", "env-nt")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o610])
def test_a_file_others_may_read_is_refused(tmp_path, monkeypatch, mode):
    path = write_file(tmp_path, monkeypatch, {"dc1": {}}, mode=mode)
    set_env(monkeypatch, LIBRENMS_URL=JOB["librenms_url"], LIBRENMS_TOKEN="lt", NETBOX_URL=JOB["netbox_url"],
            NETBOX_TOKEN="nt")
    with pytest.raises(LibrenmsSyncError) as caught:
        worker_credentials(JOB)
    assert caught.value.msg == f"credentials file {path} must be readable by its owner only (chmod 600)"


def test_a_0400_file_is_fine(tmp_path, monkeypatch):
    write_file(tmp_path, monkeypatch, {"dc1": {"librenms_url": JOB["librenms_url"], "librenms_token": "lt",
                                               "netbox_url": JOB["netbox_url"], "netbox_token": "nt"}}, mode=0o400)
    assert worker_credentials(JOB)["netbox_token"] == "nt"


def test_an_empty_file_gives_nothing(tmp_path, monkeypatch):
    path = tmp_path / "credentials.yml"
    path.write_text("")
    path.chmod(0o600)
    monkeypatch.setenv("NETBOX_LIBRENMS_CREDENTIALS", str(path))
    with pytest.raises(LibrenmsSyncError, match="no librenms credentials"):
        worker_credentials(JOB)


class FakeJob:
    def __init__(self):
        self.id = "job-1"
        self.meta = {}
        self.saved = []
        self.connection = object()

    def save_meta(self):
        self.saved.append(dict(self.meta))


@pytest.fixture()
def no_stop(monkeypatch):
    monkeypatch.setattr(_job_functions, "stop_requested", lambda connection, job_id: False)


def test_progress_is_saved_on_every_phase_then_every_five(no_stop):
    job = FakeJob()
    progress = JobProgress(job)
    progress("start", 0, 0)
    for done in range(1, 13):
        progress("inventory", done, 12)
    progress("validate", 12, 12)
    progress("done", 12, 12)
    assert [(m["phase"], m["processed"], m["percent"]) for m in job.saved] == [
        ("start", 0, 0.0), ("inventory", 1, 8.3), ("inventory", 6, 50.0), ("inventory", 11, 91.7),
        ("inventory", 12, 100.0), ("validate", 12, 100.0), ("done", 12, 100.0)]
    assert job.saved[-1]["total"] == 12


def test_progress_outside_a_job_does_nothing():
    JobProgress(None)("inventory", 1, 2)


def test_a_stop_request_halts_after_saving_the_phase(monkeypatch):
    job = FakeJob()
    order = []
    monkeypatch.setattr(_job_functions, "stop_requested", lambda connection, job_id: order.append("check") or True)
    monkeypatch.setattr(_job_functions, "send_stop_job_command",
                        lambda connection, job_id: order.append(("stop", job_id)), raising=False)
    job.save_meta = lambda: order.append("save")
    with pytest.raises(JobStopTimeout, match="job job-1 was asked to stop, but its worker did not stop it"):
        JobProgress(job, halt_timeout=0.01)("write", 1, 10)
    assert order == ["save", "check", ("stop", "job-1")]


def test_with_drain_writes_a_stop_in_a_write_phase_raises_and_elsewhere_halts(monkeypatch):
    job = FakeJob()
    monkeypatch.setattr(_job_functions, "stop_requested", lambda connection, job_id: True)
    monkeypatch.setattr(_job_functions, "send_stop_job_command", lambda connection, job_id: None, raising=False)
    progress = JobProgress(job, halt_timeout=0.01, drain_writes=True)
    for phase in ("write", "virtual_chassis", "update"):
        with pytest.raises(StopRequested):
            progress(phase, 1, 10)
    with pytest.raises(JobStopTimeout):
        progress("inventory", 1, 10)


def test_a_batch_job_stops_when_its_parent_is_asked_to(monkeypatch):
    job = FakeJob()
    job.meta = {"parent": "parent-1"}
    monkeypatch.setattr(_job_functions, "stop_requested", lambda connection, job_id: job_id == "parent-1")
    with pytest.raises(StopRequested):
        JobProgress(job, drain_writes=True)("write", 1, 10)


def test_a_stop_request_is_checked_even_when_no_progress_is_saved(monkeypatch):
    job = FakeJob()
    checks = []
    monkeypatch.setattr(_job_functions, "stop_requested", lambda connection, job_id: checks.append(job_id))
    progress = JobProgress(job)
    progress("inventory", 1, 100)
    progress("inventory", 2, 100)
    assert len(job.saved) == 1 and checks == ["job-1", "job-1"]


def test_a_worker_url_with_user_and_password_matches_the_jobs_url_and_is_the_one_used(monkeypatch):
    set_env(monkeypatch, LIBRENMS_URL="https://api:s3cret@librenms.example.net", LIBRENMS_TOKEN="lt",
            NETBOX_URL="https://proxy:pw@netbox.example.net/", NETBOX_TOKEN="nt")
    filled = worker_credentials(JOB)
    assert filled["librenms_url"] == "https://api:s3cret@librenms.example.net"
    assert filled["netbox_url"] == "https://proxy:pw@netbox.example.net/"
    assert filled["librenms_token"] == "lt" and filled["netbox_token"] == "nt"


def test_a_job_url_with_a_password_is_masked_when_no_credentials_match(monkeypatch):
    # Jobs queued before URLs were stripped of their userinfo may still carry it.
    job = dict(JOB, librenms_url="https://api:s3cret@librenms.example.net")
    with pytest.raises(LibrenmsSyncError) as caught:
        worker_credentials(job)
    assert "at https://***@librenms.example.net: " in caught.value.msg
    assert "s3cret" not in caught.value.msg
