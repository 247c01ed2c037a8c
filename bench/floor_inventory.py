"""Floor B of B4: the least an inventory plugin must do to give exactly what ours gives by default.

One GET /api/v0/devices, json.loads, the rows the plugin keeps (not disabled, not ignored), the same canonical
fields as librenms_<field> host variables with ansible_host, the same inventory names (sysName, else hostname;
a shared name stays with the lowest device id, the others get _<device_id>), add_host, each host's variables
set in one step, and add_child into the same location_/os_/type_ groups, sanitised as ansible-core does.

Written for what the harness's simulator serves (the current API's types), without the plugin's library: it is
the yardstick, not a second implementation. tests/harness/test_bench_inventory.py checks that it makes the same
hosts, variables and groups as the plugin.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from ansible.plugins.inventory import BaseInventoryPlugin, to_safe_group_name

TEXT_FIELDS = ("display", "ip", "hardware", "os", "version", "serial", "features")
GROUP_FIELDS = ("location", "os", "type")


def _text(value: Any) -> Optional[str]:
    if value.__class__ is str:
        return value.strip() or None
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    return str(value).strip() or None


def _float(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _date(value: Optional[str]) -> Optional[str]:
    """"2024-09-18 23:30:08" as "2024-09-18T23:30:08"; MySQL's zero date means never."""
    return None if not value or value.startswith("0000") else value.replace(" ", "T", 1)


def _parent_ids(value: Any) -> List[int]:
    """dependency_parent_id: null, one id, or GROUP_CONCAT's "3,4"."""
    ids: List[int] = []
    for part in ("" if value is None else str(value)).split(","):
        if part.strip().isdigit() and int(part) > 0 and int(part) not in ids:
            ids.append(int(part))
    return ids


def canonical(row: Dict[str, Any]) -> Dict[str, Any]:
    """The fields of a device the plugin makes host variables of, in its order."""
    device = {"device_id": row["device_id"], "hostname": _text(row.get("hostname")) or "",
              "sysname": _text(row.get("sysName"))}
    device.update((field, _text(row.get(field))) for field in TEXT_FIELDS)
    device.update({
        "type": _text(row.get("type")) or "", "status": row.get("status") == 1,
        "status_reason": _text(row.get("status_reason")), "ignore": row.get("ignore") == 1,
        "disabled": row.get("disabled") == 1, "sys_descr": _text(row.get("sysDescr")),
        "purpose": _text(row.get("purpose")), "notes": _text(row.get("notes")), "uptime": row.get("uptime"),
        "last_polled": _date(row.get("last_polled")), "dependency_parent_ids": _parent_ids(
            row.get("dependency_parent_id")),
        "location": _text(row.get("location")), "location_id": row.get("location_id"),
        "lat": _float(row.get("lat")), "lng": _float(row.get("lng")),
    })
    return device


def names(devices: List[Dict[str, Any]]) -> List[str]:
    """Inventory names of devices sorted by id: the first device keeps a shared name."""
    wanted = [(device["sysname"] or device["hostname"] or f"device-{device['device_id']}") for device in devices]
    taken, kept, out = set(wanted), set(), []
    for device, name in zip(devices, wanted):
        final = name
        if name in kept:
            final = f"{name}_{device['device_id']}"
            while final in taken:
                final = f"{final}_{device['device_id']}"
            taken.add(final)
        kept.add(name)
        out.append(final)
    return out


class FloorInventory(BaseInventoryPlugin):
    """Not loaded by ansible-core's plugin loader: the benchmark calls parse() on an instance."""

    NAME = "bench.floor_b"

    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        self.url, self.token = url, token

    def parse(self, inventory, loader, path, cache=False):
        import requests

        super().parse(inventory, loader, path, cache)
        answer = requests.get(f"{self.url}/api/v0/devices", headers={"X-Auth-Token": self.token}, timeout=300)
        answer.raise_for_status()
        rows = [row for row in json.loads(answer.content)["devices"] if row["disabled"] != 1 and row["ignore"] != 1]
        devices = [canonical(row) for row in sorted(rows, key=lambda row: row["device_id"])]
        groups: Dict[str, str] = {}
        for device, name in zip(devices, names(devices)):
            host = inventory.add_host(name)
            variables = {f"librenms_{key}": value for key, value in device.items()}
            if device["ip"] or device["hostname"]:
                variables["ansible_host"] = device["ip"] or device["hostname"]
            inventory.get_host(host).vars.update(variables)
            for field in GROUP_FIELDS:
                if device[field]:
                    raw = f"{field}_{device[field]}"
                    group = groups.get(raw) or groups.setdefault(raw, inventory.add_group(to_safe_group_name(raw)))
                    inventory.add_child(group, host)
