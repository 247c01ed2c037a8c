# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a job carries and how its errors read (the Redis side is tested in tests/integration/test_jobs.py)."""
from __future__ import annotations

from enum import Enum

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.queue import (
    check_job_id,
    enqueue,
    error_of,
    fetch,
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


class TouchedConnection:
    """Stands for a Redis connection and records any use: enqueue must refuse bad options before touching it."""

    def __init__(self):
        self.used = []

    def __getattr__(self, name):
        self.used.append(name)
        raise AssertionError(f"the connection was used ({name}) before the options were checked")


@pytest.mark.parametrize(("options", "message"), [
    ({"job_timeout": -1}, "job_timeout must be at least 1 (seconds), got -1"),
    ({"result_ttl": -1}, "result_ttl must be at least 1 (seconds), got -1"),
    ({"job_timeout": 0, "result_ttl": 0},
     "job_timeout must be at least 1 (seconds), got 0; result_ttl must be at least 1 (seconds), got 0"),
])
def test_enqueue_refuses_a_non_positive_job_timeout_or_result_ttl_before_queueing_anything(options, message):
    connection = TouchedConnection()
    with pytest.raises(LibrenmsSyncError) as raised:
        enqueue(connection, "import", dict(options, all_devices=True, background="always"))
    assert raised.value.msg == message
    assert connection.used == []


@pytest.mark.parametrize("job_id", ["ab c", "a/b", "", "x" * 129, "id:1", "ü", None, 12, "a\nb"])
def test_a_malformed_job_id_is_named_in_one_line_before_redis_is_asked(job_id):
    connection = TouchedConnection()
    with pytest.raises(LibrenmsSyncError) as raised:
        fetch(connection, job_id, "from_job")
    assert raised.value.msg.startswith("from_job ") and "is not a job id" in raised.value.msg
    assert "\n" not in raised.value.msg and len(raised.value.msg) < 300
    assert connection.used == []


@pytest.mark.parametrize("job_id", ["6f1c2b7e-1d2a-4a57-9a0e-5f0d2c1b3a4e", "my_job-1", "x" * 128])
def test_a_well_formed_job_id_passes(job_id):
    assert check_job_id(job_id) == job_id
