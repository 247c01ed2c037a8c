"""Molecule prepare and cleanup for the import role: the harness NetBox's state before and after the scenario.

    python netbox_state.py seed    # remove what imports left, then build the reference estate (as `make demo`)
    python netbox_state.py clean   # remove what imports left, then the reference estate

Both also drop the collection's search cache in the harness Redis, whose NetBox reference data would otherwise
name the ids of an estate removed here.

Run from the repository root with it on PYTHONPATH, and the HARNESS_* variables of the stack in the environment.
The estate's objects are protected by the devices imported onto them, so imports go first: virtual chassis
(NetBox then clears their members' membership), then the devices and VMs that carry the import comment (stack
members copy it from their master). Prints one JSON line with the counts removed.
"""

from __future__ import annotations

import json
import sys

import pynetbox
import redis

from harness import netbox_estate, stack
from harness.demo import seed_netbox
from harness.settings import load_settings

IMPORT_COMMENT = "Imported from LibreNMS"
VC_DOMAIN_PREFIX = "librenms-"
CACHE_KEYS = "netbox_librenms:cache:*"


def _ids_with_comment(endpoint) -> list:
    return [record.id for record in endpoint.filter(limit=1000, fields="id,comments")
            if IMPORT_COMMENT in (record.comments or "")]


def _delete(endpoint, ids: list) -> int:
    for start in range(0, len(ids), 200):
        endpoint.delete(ids[start:start + 200])
    return len(ids)


def remove_imports(api) -> dict:
    chassis = [vc.id for vc in api.dcim.virtual_chassis.filter(limit=1000)
               if (vc.domain or "").startswith(VC_DOMAIN_PREFIX)]
    return {
        "virtual_chassis": _delete(api.dcim.virtual_chassis, chassis),
        "devices": _delete(api.dcim.devices, _ids_with_comment(api.dcim.devices)),
        "virtual_machines": _delete(api.virtualization.virtual_machines,
                                    _ids_with_comment(api.virtualization.virtual_machines)),
    }


def forget_cache(redis_url: str) -> int:
    connection = redis.Redis.from_url(redis_url)
    keys = list(connection.scan_iter(match=CACHE_KEYS, count=1000))
    if keys:
        connection.delete(*keys)
    return len(keys)


def main(argv: list) -> int:
    if len(argv) != 2 or argv[1] not in ("seed", "clean"):
        print("usage: netbox_state.py seed|clean", file=sys.stderr)
        return 2
    settings = load_settings()
    endpoints = stack.read_endpoints(settings)
    if not endpoints:
        print(f"no harness endpoints in {settings.endpoints_file}: start the services first", file=sys.stderr)
        return 1
    api = pynetbox.api(endpoints["netbox"]["url"], token=endpoints["netbox"]["token_v2"])
    removed = dict(remove_imports(api), cache_entries=forget_cache(endpoints["redis"]["url"]))
    netbox_estate.remove_estate(api)
    if argv[1] == "seed":
        seed_netbox(endpoints, settings)
    print(json.dumps({"removed": removed}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
