#!/usr/bin/python
# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: librenms_job_status
short_description: Report, wait for or stop a background search, import or sync job
version_added: 0.1.0
description:
  - Reports the state, progress and result of a job queued by M(netbox_librenms.sync.librenms_device_filter),
    M(netbox_librenms.sync.librenms_device_import) or M(netbox_librenms.sync.librenms_device_sync) in the background
    (O(netbox_librenms.sync.librenms_device_filter#module:background)).
  - Can wait for the job to end, and can stop it. A queued job is cancelled. A running job stops at its next
    progress point, before any further NetBox write (a search, an import still reading inventories or a sync
    still reading LibreNMS, is stopped at once); the task returns once the job has ended, so no NetBox write happens
    after it.
  - A job whose worker died (killed, crashed, host lost) is reported V(failed) with error type C(AbandonedJobError)
    as soon as the worker is seen gone from Redis (it left its command channel), never V(started) forever.
author:
  - netbox_librenms.sync contributors (@netbox-librenms)
requirements:
  - redis
  - rq
options:
  job_id:
    description:
      - The job's id, RV(netbox_librenms.sync.librenms_device_filter#module:job.id) of the task that queued it.
      - 1 to 128 letters, digits, C(_) or C(-), as RQ allows; any other value fails the task before Redis is asked.
    type: str
    required: true
  redis_url:
    description:
      - Redis of the job queue. If not set, the environment variable E(NETBOX_LIBRENMS_REDIS_URL) is used.
      - It may hold a password, so it is never logged.
    type: str
    required: true
  state:
    description:
      - V(present) reports the job.
      - V(stopped) cancels or stops it. Idempotent, and C(changed) only when it did stop something.
      - A running import writing to NetBox is given up to 120 seconds to reach its next progress point, then its
        work horse is killed.
    type: str
    choices: [present, stopped]
    default: present
  wait:
    description: Wait until the job has ended.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait at most with O(wait).
      - V(0) looks at the job once and fails if it has not ended; a negative number fails the task.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between two looks at the job while waiting.
      - Must be greater than V(0); V(0) or a negative number fails the task.
    type: float
    default: 2
extends_documentation_fragment:
  - netbox_librenms.sync.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: With O(state=stopped), reports whether it would stop the job without stopping it.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Queue a search of every device
  netbox_librenms.sync.librenms_device_filter:
    all_devices: true
    vc_detection: true
    background: always
    redis_url: redis://redis.example.net:6379/0
  register: search

- name: Wait for it, showing progress in the job's meta
  netbox_librenms.sync.librenms_job_status:
    job_id: "{{ search.job.id }}"
    redis_url: redis://redis.example.net:6379/0
    wait: true
    wait_timeout: 1800
  register: finished

- name: Import the ready devices of that search
  netbox_librenms.sync.librenms_device_import:
    from_job: "{{ search.job.id }}"
    redis_url: redis://redis.example.net:6379/0

- name: Stop a job
  netbox_librenms.sync.librenms_job_status:
    job_id: "{{ search.job.id }}"
    redis_url: redis://redis.example.net:6379/0
    state: stopped
"""

RETURN = r"""
job:
  description: The job.
  returned: success
  type: dict
  contains:
    id:
      description: Job id.
      type: str
    queue:
      description: RQ queue.
      type: str
      sample: netbox_librenms.default
    status:
      description: RQ's own status.
      type: str
      sample: finished
      choices: [queued, started, deferred, scheduled, finished, stopped, failed, canceled]
    progress:
      description: C(phase), C(processed), C(total) and C(percent), as the job last reported them.
      type: dict
      sample: {"phase": "inventory", "processed": 120, "total": 400, "percent": 30.0}
    result:
      description: The job's result when it finished, the same keys as the module that queued it returns.
      type: dict
    error:
      description:
        - The error (C(type), C(message); C(traceback) only with -vvv) when the job failed or was stopped.
        - C(type) is the exception's class, C(JobStopped) for a stopped job, C(AbandonedJobError) when its worker died.
      type: dict
    enqueued_at:
      description: When it was queued (UTC).
      type: str
    started_at:
      description: When a worker started it (UTC).
      type: str
    ended_at:
      description: When it ended (UTC).
      type: str
    worker:
      description: Name of the worker that ran it.
      type: str
"""

from ansible_collections.netbox_librenms.sync.plugins.module_utils._ansible_module import run_module
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import REDIS_URL_SPEC


def main():
    argument_spec = {
        "job_id": {"type": "str", "required": True},
        "redis_url": dict(REDIS_URL_SPEC, required=True),
        "state": {"type": "str", "default": "present", "choices": ["present", "stopped"]},
        "wait": {"type": "bool", "default": False},
        "wait_timeout": {"type": "int", "default": 3600},
        "poll_interval": {"type": "float", "default": 2.0},
    }
    run_module(
        argument_spec,
        lambda options, module: job_status(options, check_mode=module.check_mode, verbose=module._verbosity >= 3),
        ("redis", "rq"),
    )


if __name__ == "__main__":
    main()
