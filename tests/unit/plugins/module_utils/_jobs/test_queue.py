# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a job carries and how its errors read (the Redis side is tested in tests/integration/test_jobs.py)."""
from __future__ import annotations

from enum import Enum

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    error_of,
    job_options,
    queue_name,
    worker_gone,
)


class Type(Enum):
    SUCCESSFUL = 1
    FAILED = 2
    STOPPED = 3


class FakeResult:
    Type = Type

    def __init__(self, exc_string, kind=Type.FAILED):
        self.type = kind
        self.exc_string = exc_string


class FakeJob:
    worker_name = "host-1.worker"

    def __init__(self, result):
        self.result = result

    def latest_result(self):
        return self.result


TRACEBACK = """Traceback (most recent call last):
  File "rq/worker/base.py", line 1, in perform_job
  File "_job_functions.py", line 2, in worker_credentials
ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors.LibrenmsSyncError: this worker has no \
librenms credentials for server key 'default' at http://x: set LIBRENMS_URL
"""


def test_job_options_leave_out_tokens_and_caller_only_options():
    params = {"librenms_token": "t1", "netbox_token": "t2", "redis_url": "redis://:pw@h/0", "wait": True,
              "background": "always", "queue": "high", "librenms_url": "http://l", "all_devices": True}
    assert job_options(params) == {"librenms_url": "http://l", "all_devices": True}



def test_job_options_carry_no_user_or_password_of_a_url():
    params = {"librenms_url": "https://api:s3cret@librenms.example.net/", "netbox_url": "http://u:p@w@nb:8000",
              "server_key": "dc1"}
    assert job_options(params) == {"librenms_url": "https://librenms.example.net/", "netbox_url": "http://nb:8000",
                                   "server_key": "dc1"}

def test_queue_names():
    assert queue_name("high") == "netbox_librenms.high"


def test_an_exception_gives_its_class_and_message():
    error = error_of(FakeJob(FakeResult(TRACEBACK)))
    message = "this worker has no librenms credentials for server key 'default' at http://x: set LIBRENMS_URL"
    assert error == {"type": "LibrenmsSyncError", "message": message}


def test_the_traceback_only_on_request():
    assert error_of(FakeJob(FakeResult(TRACEBACK)), with_traceback=True)["traceback"] == TRACEBACK


def test_an_abandoned_job_names_its_worker():
    error = error_of(FakeJob(FakeResult("Moved to FailedJobRegistry, due to AbandonedJobError, at 2026-11-22 "
                                        "21:00:00.000001+00:00")))
    assert error["type"] == "AbandonedJobError"
    assert error["message"].startswith("worker host-1.worker stopped running this job before it ended (killed")


def test_a_stopped_job():
    error = error_of(FakeJob(FakeResult("Job stopped by user, work-horse terminated.", Type.STOPPED)))
    assert error == {"type": "JobStopped",
                     "message": "the job was stopped on request (librenms_job_status state=stopped)"}


def test_a_line_that_is_no_exception_is_kept_whole():
    error = error_of(FakeJob(FakeResult("Work-horse terminated unexpectedly; waitpid returned 9 (signal 9); ")))
    assert error == {"type": "JobFailed",
                     "message": "Work-horse terminated unexpectedly; waitpid returned 9 (signal 9);"}


@pytest.mark.parametrize("result", [None, FakeResult(None), FakeResult("", Type.FAILED),
                                    FakeResult("x", Type.SUCCESSFUL)])
def test_no_error(result):
    assert error_of(FakeJob(result)) is None


class FakeRedis:
    def __init__(self, hashes, subscribers):
        self.hashes = hashes
        self.subscribers = subscribers

    def exists(self, key):
        return int(key in self.hashes)

    def hexists(self, key, field):
        return field in self.hashes.get(key, {})

    def hget(self, key, field):
        return self.hashes.get(key, {}).get(field)

    def pubsub_numsub(self, channel):
        return [(channel.encode(), self.subscribers.get(channel, 0))]


@pytest.mark.parametrize(("hashes", "subscribers", "gone"), [
    ({"rq:worker:w1": {"version": b"2.12.0"}}, {"rq:pubsub:w1": 1}, False),  # registered and listening
    ({"rq:worker:w1": {"version": b"2.12.0"}}, {}, True),  # killed: its registration outlives it
    ({}, {"rq:pubsub:w1": 1}, True),  # registration expired
    ({"rq:worker:w1": {"version": b"2.12.0", "death": b"x"}}, {"rq:pubsub:w1": 1}, True),  # said goodbye
    ({"rq:worker:w1": {"version": b"1.5.2"}}, {}, False),  # no command channel before RQ 1.6
])
def test_worker_gone(hashes, subscribers, gone):
    assert worker_gone(FakeRedis(hashes, subscribers), "w1") is gone
