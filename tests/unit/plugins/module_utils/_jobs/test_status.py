# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""librenms_job_status: bad options are named in one line before Redis is asked anything
(the Redis side is tested in tests/integration/test_jobs.py)."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status

# Port 1 is closed on any test host: were Redis asked, the message would be "Redis unreachable at ...".
CLOSED = "redis://:s3cret@127.0.0.1:1/0"
JOB_ID = "6f1c2b7e-1d2a-4a57-9a0e-5f0d2c1b3a4e"


@pytest.mark.parametrize(("options", "message"), [
    ({"wait": True, "poll_interval": -1}, "poll_interval must be greater than 0 (seconds), got -1"),
    ({"wait": True, "poll_interval": 0}, "poll_interval must be greater than 0 (seconds), got 0"),
    ({"wait": True, "wait_timeout": -1}, "wait_timeout must be at least 0 (seconds), got -1"),
    ({"job_id": "not a job/id"}, "job_id 'not a job/id' is not a job id"),
    ({"job_id": "x" * 500}, "is not a job id"),
])
def test_bad_options_fail_in_one_line_before_redis(options, message):
    params = dict({"job_id": JOB_ID, "redis_url": CLOSED, "state": "present", "wait": False}, **options)
    with pytest.raises(LibrenmsSyncError) as raised:
        job_status(params)
    assert message in raised.value.msg
    assert "Redis" not in raised.value.msg and "s3cret" not in raised.value.msg
    assert "\n" not in raised.value.msg and len(raised.value.msg) < 2000


def test_good_options_reach_redis():
    with pytest.raises(LibrenmsSyncError, match=r"^Redis unreachable at redis://\*\*\*@127\.0\.0\.1:1/0: "):
        job_status({"job_id": JOB_ID, "redis_url": CLOSED, "wait": True, "wait_timeout": 0, "poll_interval": 0.5})
