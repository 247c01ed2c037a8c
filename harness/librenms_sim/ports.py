"""The `ports` table: its schema (what `columns=` is checked against) and how one stored port becomes a row.

A device's interfaces come from interfaces.py; this module gives them ids, ifIndex and MACs, and renders the
full 70-column row only when an answer asks for it (the stored form keeps the columns that vary).
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
#: What LibreNMS answers without `columns=`.
DEFAULT_ESTATE_COLUMNS = ("port_id", "ifName")
DEFAULT_DEVICE_COLUMNS = ("ifName",)
#: The most ports one device may have: port ids are device_id * PORT_ID_STRIDE + n.
PORT_ID_STRIDE = 1000

_STORED = ("port_id", "device_id", "ifIndex", "ifName", "ifDescr", "ifAlias", "ifType", "ifSpeed", "ifMtu",
           "ifAdminStatus", "ifOperStatus", "ifPhysAddress", "ifVlan", "ifTrunk", "ignore", "disabled", "deleted")
_IFINDEX_BASE = {"junos": 500, "ios": 10100, "iosxe": 1, "eos": 1000000, "arubaos-cx": 1, "fortigate": 1}


def mgmt_mac(device_id: int) -> str:
    """LibreNMS stores MACs as 12 lower-case hex digits without separators."""
    return f"0050{device_id:08x}"


def _mac(item: dict, device_id: int, oui: str, n: int) -> str:
    if not item["mac"]:
        return ""
    if item["role"] == "mgmt":
        return mgmt_mac(device_id)
    if item["ifType"] in ("propVirtual", "l2vlan", "ieee8023adLag"):
        return f"{oui}{(device_id << 8) & 0xFFFFFF:06x}"  # the chassis MAC, shared by every logical interface
    return f"{oui}{((device_id << 8) + n) & 0xFFFFFF:06x}"


def number_ports(device: dict, items: list, oui: str) -> list:
    """Give each interface its port_id, ifIndex and ifPhysAddress; the stored port keeps role and member."""
    device_id = device["device_id"]
    base = _IFINDEX_BASE.get(device.get("os") or "", 1)
    out = []
    for n, item in enumerate(items, start=1):
        port = {key: item.get(key) for key in _STORED}
        port.update(port_id=device_id * PORT_ID_STRIDE + n, device_id=device_id, ifIndex=base + n,
                    ifPhysAddress=_mac(item, device_id, oui, n), role=item["role"], member=item["member"])
        out.append(port)
    return out


def full_row(port: dict, device_status: int = 1) -> dict:
    """Every column of the `ports` table for one stored port, counters included."""
    row = dict.fromkeys(PORT_COLUMNS)
    row.update({key: port[key] for key in _STORED})
    n = port["port_id"] % PORT_ID_STRIDE
    row.update(ifConnectorPresent="true" if port["ifType"] == "ethernetCsmacd" else "false",
               ifOperStatus_prev=port["ifOperStatus"], ifSpeed_prev=None,
               ifDuplex="fullDuplex" if port["ifType"] == "ethernetCsmacd" else None, ifLastChange=1000 * n,
               ifVrf=0, detailed=0, poll_time=1770715500, poll_prev=1770715200, poll_period=300)
    if not device_status:
        row["ifOperStatus"] = "down"
    for counter in ("ifInUcastPkts", "ifOutUcastPkts", "ifInOctets", "ifOutOctets"):
        count = (port["device_id"] * 7919 + n * 104729) % 10**9
        row.update({counter: count, counter + "_prev": count - 1200, counter + "_delta": 1200, counter + "_rate": 4})
    for counter in ("ifInErrors", "ifOutErrors"):
        row.update({counter: 0, counter + "_prev": 0, counter + "_delta": 0, counter + "_rate": 0})
    return row


def project(port: dict, columns) -> dict:
    """The row `SELECT columns FROM ports` gives; the full row is only built when a counter is asked for."""
    if all(c in port for c in columns):
        return {c: port[c] for c in columns}
    row = full_row(port)
    return {c: row[c] for c in columns}
