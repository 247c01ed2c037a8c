"""The NetBox side of the LibreNMS simulator's estate (seed 42), for the tests and `make demo`.

Everything created here carries the tag ``dft-device-filter`` (and, where the name is free, a ``dft-`` prefix) so
that ``remove_estate`` deletes only these objects, also the leftovers of an interrupted run.

Sites: three named exactly like their LibreNMS location ("Zürich DC1", "FRA2 Frankfurt Ostend", and
"SIN1 Jurong East"), the others reached through ``SITE_MAP``; "Lab" stays unmatched. Device types by part number
(the 2960-X), by model (9300, 9200L, 9410R, Arista, FortiGate, EX4300 for the chassis fallback), by the Aruba part
number for the VSF chassis fallback, and through ``DEVICE_TYPE_MAP`` for the Juniper strings and the 9400 SVL line
card; "Aruba 6200F JL724A" and the servers' hardware stay unmatched.
"""

from __future__ import annotations

from typing import Any, Dict, List

TAG = "dft-device-filter"

# The simulator's specials whose NetBox counterparts are built below (ids are fixed whatever the estate's size).
EXISTING_BY_ID = 25
EXISTING_BY_NAME = 26
EXISTING_BY_SERIAL = 27
EXISTING_BY_IP = 28
CONFLICT_SERIAL = 29
CONFLICT_NAME = 30
CONFLICT_LIBRENMS_ID = 31
LEGACY_INT_ID = 24  # dependency_child: matched through a bare-integer librenms_id (plugin < 0.4.4)
FOREIGN_LIBRENMS_ID = 9031  # a LibreNMS id that no simulator device has

SITES = [
    {"name": "LON1", "slug": "lon1"},
    {"name": "FRA2 Frankfurt Ostend", "slug": "dft-fra2"},
    {"name": "Zürich DC1", "slug": "dft-zrh1"},
    {"name": "NYC3", "slug": "dft-nyc3"},
    {"name": "SIN1 Jurong East", "slug": "dft-sin1"},
    {"name": "PAR1", "slug": "dft-par1"},
    {"name": "DFT AMS Closet", "slug": "dft-ams-closet"},
]
SITE_MAP = {
    "LON1 Docklands, London": "lon1",  # by slug
    "NYC3 8th Avenue, New York": "NYC3",  # by name
    "PAR1 Aubervilliers": "dft-par1",
    "Bldg 7 / Fl 2 / Rm 2.14 - old telco closet (ask Dave)": "DFT AMS Closet",
}

MANUFACTURERS = [
    {"name": "DFT Cisco", "slug": "dft-cisco"},
    {"name": "DFT Juniper", "slug": "dft-juniper"},
    {"name": "DFT Arista", "slug": "dft-arista"},
    {"name": "DFT Aruba", "slug": "dft-aruba"},
    {"name": "DFT Fortinet", "slug": "dft-fortinet"},
]
# (manufacturer slug, model, slug, part number)
DEVICE_TYPES = [
    ("dft-cisco", "Catalyst 2960-X 48 FPD-L", "dft-c2960x-48fpd-l", "WS-C2960X-48FPD-L"),
    ("dft-cisco", "C9300-48P", "dft-c9300-48p", ""),
    ("dft-cisco", "C9200L-48P-4G", "dft-c9200l-48p-4g", ""),
    ("dft-cisco", "C9410R", "dft-c9410r", ""),
    ("dft-juniper", "EX4300-48T", "dft-ex4300-48t", ""),
    ("dft-juniper", "EX2300-24P", "dft-ex2300-24p", ""),
    ("dft-juniper", "QFX5130-32CD", "dft-qfx5130-32cd", ""),
    ("dft-arista", "DCS-7050SX-64", "dft-dcs-7050sx-64", ""),
    ("dft-aruba", "6300M 24SFP+ 4SFP56", "dft-aruba-6300m", "JL658A"),
    ("dft-fortinet", "FortiGate-60F", "dft-fortigate-60f", ""),
]
DEVICE_TYPE_MAP = {
    "Juniper EX2300-24P Ethernet Switch": "EX2300-24P",
    "Juniper QFX5130-32CD Switch": "dft-qfx5130-32cd",
    # A 9400 StackWise Virtual reports a line card as its hardware; the operator maps it to the chassis.
    "C9400-LC-48U": "C9410R",
}
UNMATCHED_HARDWARE = "Aruba 6200F JL724A"

# Platforms for some OSes only: ios by slug, iosxe by name, junos by slug, eos by name.
PLATFORMS = [
    {"name": "DFT Cisco IOS", "slug": "ios"},
    {"name": "iosxe", "slug": "dft-iosxe"},
    {"name": "DFT Junos", "slug": "junos"},
    {"name": "EOS", "slug": "dft-eos"},
]
ROLES = [
    {"name": "dft-network", "slug": "dft-network", "color": "9e9e9e", "vm_role": False},
    {"name": "dft-access", "slug": "dft-access", "color": "2196f3", "vm_role": False},
    {"name": "dft-core", "slug": "dft-core", "color": "f44336", "vm_role": False},
    {"name": "dft-server", "slug": "dft-server", "color": "4caf50", "vm_role": True},
    {"name": "dft-leaf", "slug": "dft-leaf", "color": "ff9800", "vm_role": False},
]
DEFAULT_ROLE = "dft-network"
ROLE_RULES = [
    {"role": "dft-core", "match": {"hostname": "^core"}},
    {"role": "dft-server", "match": {"type": "^server$"}},
    {"role": "dft-access", "match": {"os": "^(ios|iosxe)$"}},
]
RACK = "dft-rack-a1"  # in LON1
CLUSTER = "dft-vmware-prod"


def _tagged(items: List[Dict[str, Any]], tag_id: int) -> List[Dict[str, Any]]:
    return [dict(item, tags=[tag_id]) for item in items]


def ensure_librenms_id_field(nb) -> None:
    """The plugin's custom field (json on devices and VMs); created when absent and then left in place."""
    if nb.extras.custom_fields.get(name="librenms_id") is None:
        nb.extras.custom_fields.create(
            name="librenms_id", label="LibreNMS ID", type="json",
            object_types=["dcim.device", "virtualization.virtualmachine"],
        )


def remove_estate(nb) -> None:
    """Delete every object tagged TAG, dependants first."""
    tag = nb.extras.tags.get(slug=TAG)
    if tag is None:
        return
    endpoints = (
        nb.dcim.devices, nb.ipam.ip_addresses, nb.virtualization.clusters, nb.virtualization.cluster_types,
        nb.dcim.racks, nb.dcim.device_types, nb.dcim.manufacturers, nb.dcim.platforms, nb.dcim.device_roles,
        nb.dcim.sites,
    )
    for endpoint in endpoints:
        ids = [record.id for record in endpoint.filter(tag=TAG)]
        if ids:
            endpoint.delete(ids)
    tag.delete()


def build_estate(nb, serials: Dict[int, str], ips: Dict[int, str]) -> Dict[str, Any]:
    """Create the reference data and the pre-existing objects; returns their ids by name.

    ``serials`` and ``ips`` are the LibreNMS serial and management IP of the specials 25 to 31, by device id.
    """
    remove_estate(nb)
    ensure_librenms_id_field(nb)
    tag = nb.extras.tags.create(name=TAG, slug=TAG, color="607d8b")
    sites = {site.slug: site for site in nb.dcim.sites.create(_tagged(SITES, tag.id))}
    manufacturers = {m.slug: m for m in nb.dcim.manufacturers.create(_tagged(MANUFACTURERS, tag.id))}
    device_types = nb.dcim.device_types.create([
        {"manufacturer": manufacturers[maker].id, "model": model, "slug": slug, "part_number": part,
         "tags": [tag.id]}
        for maker, model, slug, part in DEVICE_TYPES
    ])
    types_by_model = {dt.model: dt for dt in device_types}
    platforms = nb.dcim.platforms.create(_tagged(PLATFORMS, tag.id))
    roles = {role.name: role for role in nb.dcim.device_roles.create(_tagged(ROLES, tag.id))}
    rack = nb.dcim.racks.create(name=RACK, site=sites["lon1"].id, tags=[tag.id])
    cluster_type = nb.virtualization.cluster_types.create(name="DFT VMware", slug="dft-vmware", tags=[tag.id])
    cluster = nb.virtualization.clusters.create(name=CLUSTER, type=cluster_type.id, tags=[tag.id])

    arista = types_by_model["DCS-7050SX-64"].id
    common = {"site": sites["lon1"].id, "role": roles["dft-leaf"].id, "device_type": arista, "status": "active",
              "tags": [tag.id]}
    wanted = [
        {"name": "dft-byid-other", "custom_fields": {"librenms_id": {"default": EXISTING_BY_ID}}},
        {"name": "lon1-leaf-byname26"},
        {"name": "lon1-leaf-byserial27.example.net", "serial": serials[EXISTING_BY_SERIAL]},
        {"name": "dft-byip-other"},
        {"name": "dft-cfserial-other", "serial": serials[CONFLICT_SERIAL]},
        {"name": "lon1-leaf-cfname30", "serial": "DFT-OTHER-SERIAL"},
        {"name": "lon1-leaf-cfid31", "custom_fields": {"librenms_id": {"default": FOREIGN_LIBRENMS_ID}}},
        {"name": "dft-legacy-child", "custom_fields": {"librenms_id": LEGACY_INT_ID}},
    ]
    devices = {d.name: d for d in nb.dcim.devices.create([dict(common, **device) for device in wanted])}
    by_ip = devices["dft-byip-other"]
    interface = nb.dcim.interfaces.create(device=by_ip.id, name="Management1", type="1000base-t")
    address = nb.ipam.ip_addresses.create(
        address=f"{ips[EXISTING_BY_IP]}/24", assigned_object_type="dcim.interface",
        assigned_object_id=interface.id, tags=[tag.id],
    )
    by_ip.update({"primary_ip4": address.id})
    return {
        "tag": tag.id,
        "sites": {site.name: site.id for site in sites.values()},
        "device_types": {dt.model: dt.id for dt in device_types},
        "platforms": {p.slug: p.id for p in platforms},
        "roles": {name: role.id for name, role in roles.items()},
        "rack": rack.id,
        "cluster": cluster.id,
        "devices": {name: device.id for name, device in devices.items()},
    }
