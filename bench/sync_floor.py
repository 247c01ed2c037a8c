"""B6's floor: the objects a sync writes, created with pynetbox in bulk, in the sync's dependency order.

Run by bench.child (mode `sync_bulk_create`): interfaces, MAC addresses, each interface's primary MAC, IP
addresses, the devices' primary IPs, cables; batch after batch, each kind timed on its own.
"""

from __future__ import annotations

import time
from typing import Callable, Dict, List


def _batches(rows: List[dict], size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _create(endpoint, rows: List[dict], size: int) -> list:
    created = []
    for batch in _batches(rows, size):
        created += endpoint.create(batch)
    return created


def _update(endpoint, rows: List[dict], size: int) -> None:
    for batch in _batches(rows, size):
        endpoint.update(batch)


def _write(api, objects: Dict[str, list], size: int, seconds: Dict[str, float]) -> Dict[str, int]:
    def timed(kind, action):
        started = time.perf_counter()
        result = action()
        seconds[kind] = time.perf_counter() - started
        return result

    interfaces = [{k: v for k, v in row.items() if v is not None} for row in objects["interfaces"]]
    made = timed("interfaces", lambda: _create(api.dcim.interfaces, interfaces, size))
    ids = {(row["device"], row["name"]): made[n].id for n, row in enumerate(interfaces)}
    macs = [{"mac_address": m["mac"], "assigned_object_type": "dcim.interface",
             "assigned_object_id": ids[(m["device"], m["interface"])]} for m in objects["macs"]]
    made_macs = timed("macs", lambda: _create(api.dcim.mac_addresses, macs, size))
    primary_macs = [{"id": mac["assigned_object_id"], "primary_mac_address": made_macs[n].id}
                    for n, mac in enumerate(macs)]
    timed("primary_macs", lambda: _update(api.dcim.interfaces, primary_macs, size))
    ips = [{"address": ip["address"], "status": "active", "assigned_object_type": "dcim.interface",
            "assigned_object_id": ids[(ip["device"], ip["interface"])]} for ip in objects["ips"]]
    made_ips = timed("ips", lambda: _create(api.ipam.ip_addresses, ips, size))
    ip_ids = {ip["address"]: made_ips[n].id for n, ip in enumerate(ips)}
    primary = [{"id": p["device"], "primary_ip6" if ":" in p["address"] else "primary_ip4": ip_ids[p["address"]]}
               for p in objects["primary"] if p["address"] in ip_ids]
    timed("primary_ips", lambda: _update(api.dcim.devices, primary, size))
    cables = [{"a_terminations": [{"object_type": "dcim.interface", "object_id": ids[tuple(c["a"])]}],
               "b_terminations": [{"object_type": "dcim.interface", "object_id": ids[tuple(c["b"])]}],
               "status": "connected"} for c in objects["cables"]]
    timed("cables", lambda: _create(api.dcim.cables, cables, size))
    return {"interfaces": len(interfaces), "macs": len(macs), "primary_macs": len(primary_macs), "ips": len(ips),
            "primary_ips": len(primary), "cables": len(cables)}


def sync_bulk_create(args: dict) -> Callable[[], dict]:
    from bench.child import _counted_netbox

    api, counter = _counted_netbox()

    def work():
        seconds: Dict[str, float] = {}
        written = _write(api, args["objects"], int(args["batch_size"]), seconds)
        return {"written": written, "seconds_by_kind": seconds, "api_calls": {"netbox": counter["requests"]}}

    return work
