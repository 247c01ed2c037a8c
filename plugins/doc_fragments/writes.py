# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the modules that write to NetBox write: batches and their concurrency (spec: module_utils/_options.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  batch_size:
    description:
      - Objects per NetBox write request.
      - At least V(1); V(0) or a negative number fails the task.
    type: int
    default: 100
  write_concurrency:
    description:
      - How many write requests (batches of O(batch_size) objects) go to NetBox at once.
      - NetBox serves requests in parallel, one per gunicorn worker; more requests than it has workers only wait.
        The default was chosen by measurement (README, "Write concurrency").
      - Dependencies keep their order whatever the value; devices before their virtual chassis, chassis before
        their members.
      - NetBox updates a counter row as it creates some objects (a device's type, an interface's device). Objects
        are sent in the order of those rows, so concurrent writes wait for each other instead of deadlocking, and
        two batches sharing such a row are never sent at once. A batch PostgreSQL refuses for a deadlock anyway
        is sent again whole (twice at most) before its objects are sent one by one.
      - At least V(1) (one batch after the other); V(0) or a negative number fails the task.
    type: int
    default: 2
"""
