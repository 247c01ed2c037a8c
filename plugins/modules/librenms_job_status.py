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
  - When Redis cannot be reached, or goes away while the task waits, the task fails with one line
    C(Redis unreachable at <URL>), the URL without its password. The rq workers exit when their Redis goes away
    (the worker role's services start them again); a job that was running then is lost with a Redis that keeps
    no data, so run the search or import again once Redis is back (an import's re-run completes what it began).
  - Without O(job_id), lists the collection's jobs, as NetBox's Jobs page lists a plugin's, from RQ's queues and
    registries (queued, started, deferred, scheduled, finished, failed, stopped, canceled), newest first, with
    O(status), O(since) and O(limit) as filters. A parent job (an import split into batch jobs) lists its batch jobs
    as RV(jobs[].children).
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
      - Without it, the task lists the jobs (RV(jobs)); O(state=stopped) and O(wait) need it.
    type: str
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
  status:
    description:
      - Without O(job_id), list only the jobs with one of these statuses.
      - V(failed) includes jobs whose worker died.
    type: list
    elements: str
    choices: [queued, started, deferred, scheduled, finished, failed, stopped, canceled]
    default: []
  since:
    description:
      - Without O(job_id), list only the jobs queued since then, an ISO 8601 time (UTC unless it names a zone, for
        example V(2026-12-06T04:00:00Z)) or an age (a whole number with C(s), C(m), C(h) or C(d), for example V(12h)).
    type: str
  limit:
    description:
      - Without O(job_id), list at most this many jobs (the newest).
      - At least V(1); V(0) or a negative number fails the task.
    type: int
    default: 50
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

- name: The import jobs that failed in the last day, with their batch jobs
  netbox_librenms.sync.librenms_job_status:
    redis_url: redis://redis.example.net:6379/0
    status: [failed]
    since: 24h
  register: failed_jobs

- name: Stop a job
  netbox_librenms.sync.librenms_job_status:
    job_id: "{{ search.job.id }}"
    redis_url: redis://redis.example.net:6379/0
    state: stopped
"""

RETURN = r"""
jobs:
  description:
    - Without O(job_id), the collection's jobs, newest first. Each has the keys of RV(job) except C(result), and the
      ones below.
    - A batch job of a split import is listed only under its parent, in C(children).
  returned: without job_id
  type: list
  elements: dict
  contains:
    function:
      description: What the job runs.
      type: str
      sample: import
      choices: [search, import, sync]
    server_key:
      description: The LibreNMS server key of the run.
      type: str
      sample: default
    duration_s:
      description: Seconds from its start to its end, once it ended.
      type: float
      sample: 12.4
    summary:
      description:
        - The counts of a finished job, from its result. An import's C(total), C(success_count), C(failed_count),
          C(skipped_count) and C(virtual_chassis_created); a search's C(total_processed) and count per status.
      type: dict
      sample: {"total": 300, "success_count": 298, "failed_count": 2, "skipped_count": 0, "virtual_chassis_created": 4}
    error:
      description: C(type) and C(message) of a failed or stopped job.
      type: dict
    children:
      description: For a parent job, its batch jobs, each with the same keys (without C(children)).
      type: list
      elements: dict
  sample:
    - id: 5c1f0a8e-2f7e-4d8b-9d1e-2b1d1e0f9a11
      function: import
      server_key: default
      status: finished
      queue: netbox_librenms.default
      enqueued_at: "2026-12-06T04:00:00Z"
      started_at: "2026-12-06T04:00:01Z"
      ended_at: "2026-12-06T04:00:13Z"
      duration_s: 12.0
      worker: worker-1
      progress: {"phase": "done", "processed": 300, "total": 300, "percent": 100.0}
      summary: {"total": 300, "success_count": 300, "failed_count": 0, "skipped_count": 0,
                "virtual_chassis_created": 4}
      error: null
job:
  description: The job.
  returned: with job_id
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
    batch_jobs:
      description:
        - For an import split into batch jobs (its parent), each batch job's C(id), C(status), C(worker) and
          C(devices) (how many). The parent is V(deferred) for RQ until a batch starts, then reported V(started)
          with C(progress) added up over its batches (C(phase) V(batches)).
      type: list
      elements: dict
      returned: for a parent job
"""

from ansible_collections.netbox_librenms.sync.plugins.module_utils._ansible_module import run_module
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.job_list import STATUSES
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import REDIS_URL_SPEC


def main():
    argument_spec = {
        "job_id": {"type": "str"},
        "redis_url": dict(REDIS_URL_SPEC, required=True),
        "state": {"type": "str", "default": "present", "choices": ["present", "stopped"]},
        "wait": {"type": "bool", "default": False},
        "wait_timeout": {"type": "int", "default": 3600},
        "poll_interval": {"type": "float", "default": 2.0},
        "status": {"type": "list", "elements": "str", "default": [], "choices": list(STATUSES)},
        "since": {"type": "str"},
        "limit": {"type": "int", "default": 50},
    }
    run_module(
        argument_spec,
        lambda options, module: job_status(options, check_mode=module.check_mode, verbose=module._verbosity >= 3),
        ("redis", "rq"),
    )


if __name__ == "__main__":
    main()
