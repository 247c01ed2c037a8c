# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the worker functions under the dotted paths earlier builds queued them by.

RQ stores a job's function as a dotted path in Redis. Jobs queued before the module_utils subpackages name
``...module_utils._job_functions.search_job`` and ``...import_job``; this module keeps those paths resolving
for workers on the new layout. Remove it in the release after next (see changelogs/fragments).
"""

from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.worker import import_job, search_job

__all__ = ("import_job", "search_job")
