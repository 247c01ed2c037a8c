"""The NetBox side of the benchmarks: reference data, clean-up, change-log counts, the payloads of the floor and
of the netbox.netbox loop (the very devices the import created, read back)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from harness import netbox_estate
from harness.librenms_sim.estate import build_estate

IMPORT_COMMENT = "Imported from LibreNMS"
VC_DOMAIN_PREFIX = "librenms-"
DEVICE_FIELDS = "id,name,site,device_type,role,platform,rack,serial,status,comments,custom_fields,virtual_chassis"
SPECIALS_WITH_NETBOX_OBJECTS = range(netbox_estate.LEGACY_INT_ID, netbox_estate.CONFLICT_LIBRENMS_ID + 1)
DELETE_BATCH = 200


def netbox_api(ctx):
    import pynetbox

    return pynetbox.api(ctx.netbox_url, token=ctx.endpoints["netbox"]["token_v2"])


def prepare_reference_data(api, seed: int) -> None:
    """The sites, types, roles, platforms and pre-existing devices the simulated estate needs (any size: the
    specials with NetBox counterparts are the same devices whatever the size), after removing old imports."""
    wipe_imports(api)
    specials = {row["device_id"]: row for row in build_estate(seed=seed, size=0).devices}
    netbox_estate.build_estate(api, {i: specials[i]["serial"] for i in SPECIALS_WITH_NETBOX_OBJECTS},
                               {i: specials[i]["ip"] for i in SPECIALS_WITH_NETBOX_OBJECTS})


def change_count(api) -> int:
    return api.core.object_changes.count()


def device_count(api) -> int:
    return api.dcim.devices.count()


def _delete(endpoint, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    for start in range(0, len(ids), DELETE_BATCH):
        endpoint.delete(ids[start:start + DELETE_BATCH])


def wipe_imports(api) -> None:
    """Delete what imports created (chassis first, then devices and VMs), e.g. left by an interrupted run."""
    chassis = [vc.id for vc in api.dcim.virtual_chassis.all() if (vc.domain or "").startswith(VC_DOMAIN_PREFIX)]
    _delete(api.dcim.virtual_chassis, chassis)
    for endpoint in (api.dcim.devices, api.virtualization.virtual_machines):
        listed = endpoint.filter(fields="id,comments", limit=1000)
        _delete(endpoint, [record.id for record in listed if IMPORT_COMMENT in (record.comments or "")])


def all_devices(api) -> List[Dict[str, Any]]:
    return [dict(record) for record in api.dcim.devices.filter(fields=DEVICE_FIELDS, limit=1000)]


def devices_named(api, names: Iterable[str]) -> List[Dict[str, Any]]:
    wanted = set(names)
    return [device for device in all_devices(api) if device["name"] in wanted]


def delete_devices_named(api, names: Iterable[str]) -> int:
    found = devices_named(api, names)
    _delete(api.dcim.devices, [device["id"] for device in found])
    return len(found)


def _nested(value: Any, key: str = "id") -> Any:
    return value.get(key) if isinstance(value, dict) else value


def _status(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def raw_payloads(devices: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What a pynetbox script writes for the same devices: every field by id, as the import writes them."""
    return [{
        "name": device["name"], "site": _nested(device["site"]), "device_type": _nested(device["device_type"]),
        "role": _nested(device["role"]), "platform": _nested(device["platform"]), "rack": _nested(device["rack"]),
        "serial": device["serial"], "status": _status(device["status"]), "comments": device["comments"],
        "custom_fields": {"librenms_id": device["custom_fields"]["librenms_id"]},
    } for device in devices]


def netbox_device_data(devices: List[Dict[str, Any]], sites: Dict[int, str], types: Dict[int, str],
                       roles: Dict[int, str], platforms: Dict[int, str]) -> List[Dict[str, Any]]:
    """What a netbox.netbox user writes for the same devices: the `data` of netbox_device, by slug as its
    documentation shows (each one a lookup the module makes)."""
    out = []
    for device in devices:
        data = {
            "name": device["name"], "site": sites[_nested(device["site"])],
            "device_type": types[_nested(device["device_type"])], "device_role": roles[_nested(device["role"])],
            "serial": device["serial"], "status": _status(device["status"]), "comments": device["comments"],
            "custom_fields": {"librenms_id": device["custom_fields"]["librenms_id"]},
        }
        if _nested(device["platform"]):
            data["platform"] = platforms[_nested(device["platform"])]
        if _nested(device["rack"]):
            data["rack"] = _nested(device["rack"], "name")
        out.append(data)
    return out


def slugs(api) -> Dict[str, Dict[int, str]]:
    return {
        "sites": {s.id: s.slug for s in api.dcim.sites.all()},
        "types": {t.id: t.slug for t in api.dcim.device_types.all()},
        "roles": {r.id: r.slug for r in api.dcim.device_roles.all()},
        "platforms": {p.id: p.slug for p in api.dcim.platforms.all()},
    }
