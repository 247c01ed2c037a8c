"""Static facts of the simulated estate: the devices table's columns, locations, platforms."""

from __future__ import annotations

import datetime

#: Columns of LibreNMS's `devices` table, in table order (misc/db_schema.yaml, plus display and ignore_status).
DEVICE_COLUMNS = (
    "device_id", "inserted", "hostname", "sysName", "display", "ip", "overwrite_ip", "community", "authlevel",
    "authname", "authpass", "authalgo", "cryptopass", "cryptoalgo", "snmpver", "port", "transport", "timeout",
    "retries", "snmp_disable", "bgpLocalAs", "sysObjectID", "sysDescr", "sysContact", "version", "hardware",
    "features", "location_id", "os", "status", "status_reason", "ignore", "disabled", "uptime", "agent_uptime",
    "last_polled", "last_poll_attempted", "last_polled_timetaken", "last_discovered_timetaken", "last_discovered",
    "last_ping", "last_ping_timetaken", "purpose", "type", "serial", "icon", "poller_group", "override_sysLocation",
    "notes", "port_association_mode", "max_depth", "disable_notify", "ignore_status",
)
#: What list_devices adds after d.*: GROUP_CONCAT of the parents, then the location join.
LIST_EXTRA_COLUMNS = ("dependency_parent_id", "dependency_parent_hostname", "location", "lat", "lng")
DEVICE_COLUMNS_FOLDED = {c.lower(): c for c in DEVICE_COLUMNS}

#: tinyint(1) columns the Device model casts to bool on GET /devices/{id} (status always, the rest since 2025-08).
BOOL_STATUS = "status"
BOOL_FLAGS = ("snmp_disable", "ignore", "disabled", "override_sysLocation", "disable_notify", "ignore_status")
DATE_COLUMNS = ("inserted", "last_polled", "last_poll_attempted", "last_discovered", "last_ping")

#: list_devices `type` values that only exist since a given release (an older server answers every device).
NEW_TYPES = ("sysName", "location_id", "type", "display", "serial", "version", "hardware", "features")

ENT_COLUMNS = (
    "entPhysical_id", "device_id", "entPhysicalIndex", "entPhysicalDescr", "entPhysicalClass", "entPhysicalName",
    "entPhysicalHardwareRev", "entPhysicalFirmwareRev", "entPhysicalSoftwareRev", "entPhysicalAlias",
    "entPhysicalAssetID", "entPhysicalIsFRU", "entPhysicalModelName", "entPhysicalVendorType",
    "entPhysicalSerialNum", "entPhysicalContainedIn", "entPhysicalParentRelPos", "entPhysicalMfgName", "ifIndex",
)

#: The simulated "now": every date is computed back from it, so answers never depend on the clock.
NOW = datetime.datetime(2026, 2, 10, 9, 30, 0)
DOMAIN = "example.net"

# id, name, lat, lng (strings as MySQL decimal(10,8)/(11,8) come back, or None), site code, weight
LOCATIONS = (
    (1, "LON1 Docklands, London", "51.50764200", "-0.00921600", "lon1", 24),
    (2, "FRA2 Frankfurt Ostend", "50.11092200", "8.68212700", "fra2", 16),
    (3, "Zürich DC1", "47.37688700", "8.54169400", "zrh1", 12),
    (4, "NYC3 8th Avenue, New York", "40.74091100", "-74.00230100", "nyc3", 16),
    (5, "SIN1 Jurong East", "1.33223400", "103.74372900", "sin1", 10),
    (6, "PAR1 Aubervilliers", "48.91402100", "2.38291300", "par1", 10),
    (7, "Bldg 7 / Fl 2 / Rm 2.14 - old telco closet (ask Dave)", "52.37021600", "4.89516800", "ams9", 6),
    (8, "Lab", None, None, "lab", 4),
)

_C = ".1.3.6.1.4.1."
CISCO_TAIL = (
    "\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
    "Copyright (c) 1986-2024 by Cisco Systems, Inc.\r\nCompiled Thu 09-May-24 08:12 by mcpre"
)
PLATFORMS = {
    "c2960x": dict(
        os="ios", type="network", hardware="WS-C2960X-48FPD-L", version="15.2(7)E8", features="LANBASEK9",
        oid=_C + "9.1.1208", icon="cisco.svg", serial_prefix="FOC", inv="cisco_stack", family="c29xx",
        descr="Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE SOFTWARE"
        " (fc3)" + CISCO_TAIL, role="acc-sw", weight=12, alt_models=("WS-C2960X-24PS-L", "WS-C2960X-48TS-L"),
    ),
    "c9200l": dict(
        os="iosxe", type="network", hardware="C9200L-48P-4G", version="17.9.4a", features="NETWORK-ESSENTIALS",
        oid=_C + "9.1.2694", icon="cisco.svg", serial_prefix="JAE", inv="cisco_stack", family="c92xx",
        descr="Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_LITE_IOSXE), Version 17.9.4a,"
        " RELEASE SOFTWARE (fc3)" + CISCO_TAIL, role="acc-sw", weight=10, alt_models=("C9200L-24P-4G",),
    ),
    "c9300": dict(
        os="iosxe", type="network", hardware="C9300-48P", version="17.9.5", features="NETWORK-ADVANTAGE",
        oid=_C + "9.1.2494", icon="cisco.svg", serial_prefix="FOC", inv="cisco_stack", family="c93xx",
        descr="Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.5,"
        " RELEASE SOFTWARE (fc1)" + CISCO_TAIL, role="dist-sw", weight=12, alt_models=("C9300-24P", "C9300-48U"),
    ),
    "c9410r": dict(
        os="iosxe", type="network", hardware="C9410R", version="17.9.5", features="NETWORK-ADVANTAGE",
        oid=_C + "9.1.2530", icon="cisco.svg", serial_prefix="FXS", inv="cisco_modular",
        descr="Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.5,"
        " RELEASE SOFTWARE (fc1)" + CISCO_TAIL, role="core-sw", weight=2,
    ),
    "isr4331": dict(
        os="iosxe", type="network", hardware="ISR4331/K9", version="17.6.5", features="appxk9",
        oid=_C + "9.1.2068", icon="cisco.svg", serial_prefix="FDO", inv="cisco_router",
        descr="Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.5,"
        " RELEASE SOFTWARE (fc2)" + CISCO_TAIL, role="wan-rtr", weight=4,
    ),
    "ex4300": dict(
        os="junos", type="network", hardware="Juniper EX4300-48T Ethernet Switch", version="21.4R3-S5.4",
        features=None, oid=_C + "2636.1.1.1.2.63", icon="juniper.svg", serial_prefix="PE3", inv="juniper",
        model="EX4300-48T", part="650-044930",
        descr="Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS 21.4R3-S5.4, Build date:"
        " 2023-09-25 18:31:14 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.", role="acc-sw", weight=8,
    ),
    "ex2300": dict(
        os="junos", type="network", hardware="Juniper EX2300-24P Ethernet Switch", version="22.2R3-S2.8",
        features=None, oid=_C + "2636.1.1.1.2.132", icon="juniper.svg", serial_prefix="JW3", inv="juniper",
        model="EX2300-24P", part="650-059881",
        descr="Juniper Networks, Inc. ex2300-24p Ethernet Switch, kernel JUNOS 22.2R3-S2.8, Build date:"
        " 2024-01-17 09:02:41 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.", role="acc-sw", weight=6,
    ),
    "mx204": dict(
        os="junos", type="network", hardware="Juniper MX204 Edge Router", version="22.4R2-S2.6", features=None,
        oid=_C + "2636.1.1.1.2.151", icon="juniper.svg", serial_prefix="BZ0", inv="juniper", model="MX204",
        part="750-069579",
        descr="Juniper Networks, Inc. mx204 internet router, kernel JUNOS 22.4R2-S2.6, Build date: 2023-11-02"
        " 04:12:36 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.", role="edge-rtr", weight=2, bgp=True,
    ),
    "srx345": dict(
        os="junos", type="firewall", hardware="Juniper SRX345 Services Gateway", version="21.4R3-S6.3",
        features=None, oid=_C + "2636.1.1.1.2.135", icon="juniper.svg", serial_prefix="CW0", inv="juniper",
        model="SRX345", part="650-066042",
        descr="Juniper Networks, Inc. srx345 internet router, kernel JUNOS 21.4R3-S6.3, Build date: 2024-02-20"
        " 11:45:09 UTC Copyright (c) 1996-2024 Juniper Networks, Inc.", role="fw", weight=3,
    ),
    "arista7050": dict(
        os="eos", type="network", hardware="DCS-7050SX-64", version="4.28.3M", features=None,
        oid=_C + "30065.1.3011.7050.1958.64", icon="arista.svg", serial_prefix="JPE", inv="arista",
        descr="Arista Networks EOS version 4.28.3M running on an Arista Networks DCS-7050SX-64",
        role="leaf", weight=4,
    ),
    "arista7280": dict(
        os="eos", type="network", hardware="DCS-7280SR-48C6", version="4.30.1F", features=None,
        oid=_C + "30065.1.3011.7280.2733.48", icon="arista.svg", serial_prefix="SSJ", inv="arista",
        descr="Arista Networks EOS version 4.30.1F running on an Arista Networks DCS-7280SR-48C6",
        role="spine", weight=3, bgp=True,
    ),
    "aruba6300": dict(
        os="arubaos-cx", type="network", hardware="Aruba 6300M JL658A", version="FL.10.13.1000", features=None,
        oid=_C + "47196.4.1.1.1.343", icon="aruba.svg", serial_prefix="SG1", inv="aruba", model="JL658A",
        model_descr="6300M 24SFP+ 4SFP56 Swch", family="6300",
        descr="Aruba JL658A 6300M 24SFP+ 4SFP56 Swch FL.10.13.1000", role="agg-sw", weight=6,
    ),
    "aruba6200": dict(
        os="arubaos-cx", type="network", hardware="Aruba 6200F JL724A", version="ML.10.12.1021", features=None,
        oid=_C + "47196.4.1.1.1.322", icon="aruba.svg", serial_prefix="CN2", inv="aruba", model="JL724A",
        model_descr="6200F 24G CL4 4SFP+370W Swch", family="6200",
        descr="Aruba JL724A 6200F 24G CL4 4SFP+370W Swch ML.10.12.1021", role="acc-sw", weight=4,
    ),
    "fg100f": dict(
        os="fortigate", type="firewall", hardware="FortiGate-100F", version="v7.2.8", features=None,
        oid=_C + "12356.101.1.1041", icon="fortinet.svg", serial_prefix="FG1", inv="fortigate",
        descr="FortiGate-100F", role="fw", weight=4,
    ),
    "fg60f": dict(
        os="fortigate", type="firewall", hardware="FortiGate-60F", version="v7.2.8", features=None,
        oid=_C + "12356.101.1.641", icon="fortinet.svg", serial_prefix="FGT", inv="fortigate",
        descr="FortiGate-60F", role="fw", weight=3,
    ),
    "r640": dict(
        os="linux", type="server", hardware="Dell PowerEdge R640", version="5.15.0-105-generic", features=None,
        oid=".1.3.6.1.4.1.8072.3.2.10", icon="ubuntu.svg", serial_prefix="", inv="none",
        descr="Linux srv 5.15.0-105-generic #115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024 x86_64",
        role="srv", weight=5,
    ),
    "dl360": dict(
        os="linux", type="server", hardware="HPE ProLiant DL360 Gen10", version="4.18.0-513.24.1.el8_9.x86_64",
        features=None, oid=".1.3.6.1.4.1.8072.3.2.10", icon="redhat.svg", serial_prefix="CZJ", inv="none",
        descr="Linux srv 4.18.0-513.24.1.el8_9.x86_64 #1 SMP Thu Mar 14 14:20:09 EDT 2024 x86_64",
        role="srv", weight=4,
    ),
    "vmware": dict(
        os="linux", type="server", hardware="VMware Virtual Platform", version="6.1.0-21-amd64", features=None,
        oid=".1.3.6.1.4.1.8072.3.2.10", icon="debian.svg", serial_prefix="VMW", inv="none",
        descr="Linux vm 6.1.0-21-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03) x86_64",
        role="vm", weight=6,
    ),
    "wlc5520": dict(
        os="ciscowlc", type="wireless", hardware="AIR-CT5520-K9", version="8.10.190.0", features=None,
        oid=_C + "9.1.2170", icon="cisco.svg", serial_prefix="FCH", inv="cisco_router",
        descr="Cisco Controller", role="wlc", weight=2,
    ),
    "aruba7210": dict(
        os="arubaos", type="wireless", hardware="Aruba7210", version="8.10.0.12", features=None,
        oid=_C + "14823.1.1.32", icon="aruba.svg", serial_prefix="CV0", inv="generic",
        descr="ArubaOS (MODEL: Aruba7210), Version 8.10.0.12 (89562)", role="wlc", weight=2,
    ),
    "apc": dict(
        os="apc", type="power", hardware="Smart-UPS X 3000", version="UPS 15.5 (ID20)", features=None,
        oid=_C + "318.1.3.27", icon="apc.svg", serial_prefix="AS1", inv="none",
        descr="APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.9.6 PN:apc_hw05_aos_696.bin)", role="ups", weight=2,
    ),
    "netapp": dict(
        os="netapp", type="storage", hardware="FAS2750", version="9.13.1P6", features=None,
        oid=_C + "789.2.5", icon="netapp.svg", serial_prefix="721", inv="none",
        descr="NetApp Release 9.13.1P6: Tue Feb 27 10:12:23 UTC 2024", role="nas", weight=1,
    ),
}
CISCO_STACKABLE = ("c2960x", "c9200l", "c9300")
