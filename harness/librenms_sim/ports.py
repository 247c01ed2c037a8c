"""A deliberately small model of `ports`, `ipv4_addresses` and `ipv4_mac`: three ports per device.

Enough for GET /devices/{d}/ports, GET /devices/{d}/ip and the list_devices types that join ports
(`ipv4`, `mac`): the management interface carries the device's `ip` and has a MAC derived from the id.
There are no IPv6 addresses, so `type=ipv6` never matches.
"""

from __future__ import annotations

PORT_COLUMNS = (
    "port_id", "device_id", "port_descr_type", "port_descr_descr", "port_descr_circuit", "port_descr_speed",
    "port_descr_notes", "ifDescr", "ifName", "portName", "ifIndex", "ifSpeed", "ifSpeed_prev", "ifConnectorPresent",
    "ifOperStatus", "ifOperStatus_prev", "ifAdminStatus", "ifAdminStatus_prev", "ifDuplex", "ifMtu", "ifType",
    "ifAlias", "ifPhysAddress", "ifLastChange", "ifVlan", "ifTrunk", "ifVrf", "ignore", "disabled", "detailed",
    "deleted", "pagpOperationMode", "pagpPortState", "pagpPartnerDeviceId", "pagpPartnerLearnMethod",
    "pagpPartnerIfIndex", "pagpPartnerGroupIfIndex", "pagpPartnerDeviceName", "pagpEthcOperationMode",
    "pagpDeviceId", "pagpGroupIfIndex", "ifInUcastPkts", "ifInUcastPkts_prev", "ifInUcastPkts_delta",
    "ifInUcastPkts_rate", "ifOutUcastPkts", "ifOutUcastPkts_prev", "ifOutUcastPkts_delta", "ifOutUcastPkts_rate",
    "ifInErrors", "ifInErrors_prev", "ifInErrors_delta", "ifInErrors_rate", "ifOutErrors", "ifOutErrors_prev",
    "ifOutErrors_delta", "ifOutErrors_rate", "ifInOctets", "ifInOctets_prev", "ifInOctets_delta",
    "ifInOctets_rate", "ifOutOctets", "ifOutOctets_prev", "ifOutOctets_delta", "ifOutOctets_rate", "poll_time",
    "poll_prev", "poll_period",
)
PORT_COLUMN_SET = frozenset(PORT_COLUMNS)

_MGMT = {
    "ios": "Vlan100", "iosxe": "Vlan100", "junos": "irb.100", "eos": "Management1", "arubaos-cx": "vlan100",
    "fortigate": "mgmt", "linux": "eth0", "ciscowlc": "management", "arubaos": "vlan100",
}
_PHYS = {
    "ios": "GigabitEthernet1/0/{}", "iosxe": "GigabitEthernet1/0/{}", "junos": "ge-0/0/{}", "eos": "Ethernet{}",
    "arubaos-cx": "1/1/{}", "fortigate": "port{}", "linux": "eth{}", "arubaos": "GE0/0/{}",
}


def mgmt_mac(device_id: int) -> str:
    """LibreNMS stores MACs as 12 lower-case hex digits without separators."""
    return f"0050{device_id:08x}"


def device_ports(device: dict) -> list:
    device_id = device["device_id"]
    os_name = device.get("os") or ""
    phys = _PHYS.get(os_name, "eth{}")
    names = [phys.format(1 + n) for n in range(2)] + [_MGMT.get(os_name, "mgmt0")]
    out = []
    for n, name in enumerate(names, start=1):
        is_mgmt = n == 3
        values = dict.fromkeys(PORT_COLUMNS)
        values.update(
            port_id=device_id * 10 + n, device_id=device_id, ifDescr=name, ifName=name, portName=None,
            ifIndex=n if not is_mgmt else 100 + n, ifSpeed=1000000000, ifSpeed_prev=None, ifConnectorPresent="true",
            ifOperStatus="up" if device.get("status") else "down", ifOperStatus_prev="up", ifAdminStatus="up",
            ifAdminStatus_prev=None, ifDuplex="fullDuplex", ifMtu=1500,
            ifType="l3ipvlan" if is_mgmt else "ethernetCsmacd", ifAlias="Management" if is_mgmt else f"uplink {n}",
            ifPhysAddress=mgmt_mac(device_id) if is_mgmt else f"0050{device_id:06x}{n:02x}",
            ifLastChange=1000 * n, ifVlan="100" if is_mgmt else "1", ifTrunk=None if is_mgmt else "dot1Q",
            ifVrf=0, ignore=0, disabled=0, detailed=0, deleted=0, poll_time=1770715500, poll_prev=1770715200,
            poll_period=300,
        )
        for counter in ("ifInUcastPkts", "ifOutUcastPkts", "ifInOctets", "ifOutOctets"):
            base = (device_id * 7919 + n * 104729) % 10**9
            values.update({counter: base, counter + "_prev": base - 1200, counter + "_delta": 1200,
                           counter + "_rate": 4})
        for counter in ("ifInErrors", "ifOutErrors"):
            values.update({counter: 0, counter + "_prev": 0, counter + "_delta": 0, counter + "_rate": 0})
        out.append(values)
    return out


def device_ipv4(device: dict) -> list:
    ip = device.get("ip")
    if not ip:
        return []
    octets = ip.split(".")
    return [{
        "ipv4_address_id": device["device_id"], "ipv4_address": ip, "ipv4_prefixlen": 24,
        "ipv4_network_id": str(int(octets[1]) * 256 + int(octets[2])) if len(octets) == 4 else "1",
        "port_id": device["device_id"] * 10 + 3, "context_name": "",
    }]
