"""B6's objects: the interfaces, MAC addresses, IP addresses, primary IPs and cables a sync writes, as plain data.

`read_back` gives what librenms_device_sync wrote, read from NetBox: what the floor and the loop then write
again, as B2 does for devices. Shape, JSON-friendly:

    {"interfaces": [{"device": id, "name", "type", "speed", "mtu", "description", "enabled", "custom_fields"}],
     "macs": [{"device", "interface", "mac"}], "ips": [{"device", "interface", "address"}],
     "primary": [{"device", "address"}], "cables": [{"a": [device, name], "b": [device, name]}]}
"""

from __future__ import annotations

from typing import Any, Dict, List

SERVER_KEY = "default"


def targets(api) -> Dict[str, Any]:
    """NetBox devices linked to LibreNMS: {"by_librenms": {id: device}, "members": {vc id: {position: device}}}."""
    rows = [dict(r) for r in api.dcim.devices.filter(fields="id,name,custom_fields,virtual_chassis,vc_position",
                                                     limit=1000)]
    by_librenms, members = {}, {}
    for row in rows:
        link = (row.get("custom_fields") or {}).get("librenms_id")
        link = link.get(SERVER_KEY) if isinstance(link, dict) else link
        if link:
            by_librenms[int(link)] = row
        chassis = row.get("virtual_chassis")
        if chassis and row.get("vc_position") is not None:
            members.setdefault(chassis["id"], {})[row["vc_position"]] = row
    return {"by_librenms": by_librenms, "members": members, "names": {r["id"]: r["name"] for r in rows}}


def read_back(api) -> Dict[str, list]:
    """What the sync wrote: the interfaces carrying a librenms_id, their MACs, addresses and cables, the primaries."""
    out: Dict[str, list] = {"interfaces": [], "macs": [], "ips": [], "primary": [], "cables": []}
    names = {}
    for row in map(dict, api.dcim.interfaces.filter(limit=1000)):
        if not (row.get("custom_fields") or {}).get("librenms_id"):
            continue
        names[row["id"]] = (row["device"]["id"], row["name"])
        out["interfaces"].append({
            "device": row["device"]["id"], "name": row["name"], "type": row["type"]["value"], "speed": row["speed"],
            "mtu": row["mtu"], "description": row["description"], "enabled": row["enabled"],
            "custom_fields": {"librenms_id": row["custom_fields"]["librenms_id"]}})
    for row in map(dict, api.dcim.mac_addresses.filter(assigned_object_type="dcim.interface", limit=1000)):
        if row["assigned_object_id"] in names:
            device, name = names[row["assigned_object_id"]]
            out["macs"].append({"device": device, "interface": name, "mac": row["mac_address"]})
    for row in map(dict, api.ipam.ip_addresses.filter(assigned_object_type="dcim.interface", limit=1000)):
        if row["assigned_object_id"] in names:
            device, name = names[row["assigned_object_id"]]
            out["ips"].append({"device": device, "interface": name, "address": row["address"]})
    synced = {ip["address"] for ip in out["ips"]}  # a primary set before the sync on another address is not its
    for row in map(dict, api.dcim.devices.filter(has_primary_ip=True, fields="id,primary_ip4,primary_ip6",
                                                 limit=1000)):
        for key in ("primary_ip4", "primary_ip6"):
            if row.get(key) and row[key]["address"] in synced:
                out["primary"].append({"device": row["id"], "address": row[key]["address"]})
    for row in map(dict, api.dcim.cables.filter(limit=1000)):
        ends = [[names.get(t["object_id"]) for t in row[side]] for side in ("a_terminations", "b_terminations")]
        if all(len(e) == 1 and e[0] for e in ends):
            out["cables"].append({"a": list(ends[0][0]), "b": list(ends[1][0])})
    return out


def enable_interface_field(api) -> None:
    """The librenms_id custom field on interfaces too, as the sync's first run makes it (set-up, not timed)."""
    field = api.extras.custom_fields.get(name="librenms_id")
    types = list(field.object_types)
    if "dcim.interface" not in types:
        field.update({"object_types": [*types, "dcim.interface"]})


def counts(objects: Dict[str, list]) -> Dict[str, int]:
    return {kind: len(rows) for kind, rows in objects.items()}


def _delete(endpoint, ids: List[int]) -> None:
    for start in range(0, len(ids), 200):
        endpoint.delete(ids[start:start + 200])


def wipe(api) -> None:
    """Delete the interfaces carrying a librenms_id with their cables, MACs and addresses (nothing else)."""
    owned = {row["id"] for row in map(dict, api.dcim.interfaces.filter(fields="id,custom_fields", limit=1000))
             if (row.get("custom_fields") or {}).get("librenms_id")}
    listed = api.dcim.cables.filter(fields="id,a_terminations,b_terminations", limit=1000)
    cables = [row["id"] for row in map(dict, listed)
              if any(t.get("object_id") in owned for t in row["a_terminations"] + row["b_terminations"])]
    _delete(api.dcim.cables, cables)
    for endpoint in (api.ipam.ip_addresses, api.dcim.mac_addresses):
        listed = endpoint.filter(assigned_object_type="dcim.interface", fields="id,assigned_object_id", limit=1000)
        _delete(endpoint, [row["id"] for row in map(dict, listed) if row["assigned_object_id"] in owned])
    _delete(api.dcim.interfaces, sorted(owned))


def loop_sample(objects: Dict[str, list], names: Dict[int, str], size: int) -> Dict[str, List[dict]]:
    """About `size` objects for the netbox.netbox loop, by name as its documentation shows: the interfaces that
    the sampled cables and addresses need, then more interfaces up to the size."""
    cables = objects["cables"][:max(1, size // 7)]
    wanted = {tuple(end) for cable in cables for end in (cable["a"], cable["b"])}
    ips = objects["ips"][:max(1, size // 4)]
    wanted |= {(ip["device"], ip["interface"]) for ip in ips}
    chosen = [i for i in objects["interfaces"] if (i["device"], i["name"]) in wanted]
    extra = [i for i in objects["interfaces"] if (i["device"], i["name"]) not in wanted]
    chosen += extra[:max(0, size - len(chosen) - len(ips) - len(cables))]
    interfaces = [dict({k: v for k, v in i.items() if k != "device" and v is not None}, device=names[i["device"]])
                  for i in chosen]
    addresses = [{"address": ip["address"], "status": "active", "assigned_object": {
        "device": names[ip["device"]], "name": ip["interface"]}} for ip in ips]
    links = [{"termination_a_type": "dcim.interface", "termination_a": {"device": names[c["a"][0]], "name": c["a"][1]},
              "termination_b_type": "dcim.interface", "termination_b": {"device": names[c["b"][0]], "name": c["b"][1]},
              "status": "connected"} for c in cables]
    return {"interfaces": interfaces, "ips": addresses, "cables": links,
            "objects": len(interfaces) + len(addresses) + len(links)}
