# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Background-job and cache options of the search and import modules (spec: module_utils/_options.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  background:
    description:
      - V(auto) queues an RQ job when the devices exceed O(background_threshold) and a worker listens on the queue;
        otherwise the run happens in the task, with a warning saying why (Redis unreachable, no worker).
      - V(always) queues a job (it fails when Redis cannot be reached); V(never) always runs in the task.
      - Check mode always runs in the task.
      - Jobs carry no token. The worker uses its own credentials (see the README, "Background mode").
    type: str
    choices: [auto, always, never]
    default: auto
  background_threshold:
    description:
      - With O(background=auto), how many devices a run may have before it goes to a job.
      - V(0) or more; V(0) sends every run of at least one device to a job. A negative number fails the task.
    type: int
    default: 50
  redis_url:
    description:
      - Redis for jobs and the shared cache, for example V(redis://127.0.0.1:6379/0).
      - If not set, the environment variable E(NETBOX_LIBRENMS_REDIS_URL) is used.
      - Without Redis every run is synchronous.
      - It may hold a password, so it is never logged.
    type: str
  queue:
    description: RQ queue, V(netbox_librenms.<queue>).
    type: str
    choices: [high, default, low]
    default: default
  job_timeout:
    description:
      - Seconds a job may run before RQ stops it.
      - At least V(1); V(0) or a negative number fails the task before anything is queued.
    type: int
    default: 3600
  result_ttl:
    description:
      - Seconds RQ keeps a job's result (and a failed job's error).
      - At least V(1); V(0) or a negative number fails the task before anything is queued.
    type: int
    default: 86400
  wait:
    description: Wait for a queued job to end and return what a synchronous run would have returned.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait).
      - V(0) looks at the job once and fails if it has not ended; a negative number fails the task before anything
        is queued.
    type: int
    default: 3600
  cache_timeout:
    description:
      - Seconds the validated devices of a search, and NetBox reference data, stay in the Redis cache.
      - At least V(1); V(0) or a negative number fails the task.
    type: int
    default: 300
  clear_cache:
    description: Delete every cache entry of this O(server_key) first (searches, devices and reference data).
    type: bool
    default: false
"""
