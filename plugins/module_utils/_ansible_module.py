# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: how every module runs (options in, one library call, result out).

The only file of the library that imports ansible.module_utils.basic: the inventory plugin and the RQ workers
never import it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import OptionAdapter
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.redis_connection import (
    HAS_REDIS,
    HAS_RQ,
    REDIS_IMPORT_ERROR,
    RQ_IMPORT_ERROR,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_reads import (
    HAS_PYNETBOX,
    PYNETBOX_IMPORT_ERROR,
)

_LIBRARIES = {
    "requests": (HAS_REQUESTS, REQUESTS_IMPORT_ERROR),
    "pynetbox": (HAS_PYNETBOX, PYNETBOX_IMPORT_ERROR),
    "redis": (HAS_REDIS, REDIS_IMPORT_ERROR),
    "rq": (HAS_RQ, RQ_IMPORT_ERROR),
}


def run_module(argument_spec: Dict[str, Any], run: Callable[[OptionAdapter, AnsibleModule], Dict[str, Any]],
               libraries: Iterable[str]) -> None:
    """Build the module, check its libraries, run it; LibrenmsSyncError is the one failure path.

    ``run`` reads the options through the adapter, and check mode, diff and verbosity from the module.
    """
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    for name in libraries:
        present, import_error = _LIBRARIES[name]
        if not present:
            module.fail_json(msg=missing_required_lib(name), exception=import_error)
    try:
        result = run(OptionAdapter.from_ansible_module(module), module)
    except LibrenmsSyncError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)
