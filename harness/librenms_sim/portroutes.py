"""The port, IP address and link routes, with LibreNMS's quirks (reference: "Ports, IP addresses, links").

- /ports: every non-deleted port, `columns` checked against the schema (no trimming: a space makes a column
  invalid), default `port_id,ifName`, no `count` key. /devices/{d}/ports: default `ifName`, ifIndex order,
  404 "No ports found" for an unknown device or one without ports.
- /resources/ip/addresses[/ipv4|/ipv6]: IPv4 rows then IPv6 rows, deleted ports' addresses included; the
  suffixes only exist since 25.4.0. /devices/{d}/ip: the device's live ports only, 404 when none.
- /resources/links, /devices/{d}/links: an unknown hostname filters nothing and answers every link.
"""

from __future__ import annotations

from harness.librenms_sim import jsonfmt
from harness.librenms_sim.ports import (
    DEFAULT_DEVICE_COLUMNS,
    DEFAULT_ESTATE_COLUMNS,
    PORT_COLUMN_SET,
    project,
)
from harness.librenms_sim.views import stringify

JSON = "application/json"


def body(key: str, rows: list, legacy: bool, count: bool = True) -> bytes:
    """api_success(): a plain array gets `count`, an Eloquent collection (the port routes) does not."""
    if legacy:
        rows = [stringify(r) for r in rows]
    out = {"status": "ok", key: rows}
    if count:
        out["count"] = len(rows)
    return jsonfmt.pretty(out).encode()


def parse_columns(raw, default: tuple):
    """(columns, None) or (None, the invalid ones) as validate_column_list() sees them."""
    columns = tuple(raw.split(",")) if raw is not None else default
    invalid = [c for c in columns if c not in PORT_COLUMN_SET]
    return (None, invalid) if invalid else (columns, None)


def port_endpoint_of(parts: list):
    """The stats bucket of a port, address or link route below /api/v0, or None for any other path."""
    if parts in (["ports"], ["resources", "links"]):
        return parts[-1]
    if parts[:3] == ["resources", "ip", "addresses"] and len(parts) <= 4:
        return "ip_addresses"
    if len(parts) == 3 and parts[0] == "devices" and parts[2] in ("ports", "ip", "links"):
        return "device_" + parts[2]
    return None


def device_id_for(estate, key: str):
    """ctype_digit($h) ? $h : getidbyname($h): digits are an id even when no such device exists."""
    if key.isdigit() and key.isascii():
        return int(key)
    device = estate.find(key)
    return device["device_id"] if device else None


class PortRoutes:
    """Answers as (status, body bytes); the estate-wide ones are cached per estate like the device list."""

    def __init__(self, sim):
        self.sim = sim

    def _cached(self, estate, key, build) -> tuple:
        cached = self.sim.cache_get(estate, key)
        if cached is None:
            cached = build()
            self.sim.cache_put(estate, key, cached)
        return 200, cached

    def estate_ports(self, estate, cfg, params) -> tuple:
        columns, invalid = parse_columns(params.get("columns"), DEFAULT_ESTATE_COLUMNS)
        if invalid:
            return error(400, "Invalid columns: " + ",".join(invalid))
        legacy = cfg["legacy_types"]
        return self._cached(estate, ("ports", columns, legacy), lambda: body(
            "ports", [project(p, columns) for p in estate.network.all_ports() if not p["deleted"]], legacy,
            count=False))

    @staticmethod
    def device_ports(estate, cfg, key, params) -> tuple:
        columns, invalid = parse_columns(params.get("columns"), DEFAULT_DEVICE_COLUMNS)
        if invalid:
            return error(400, "Invalid columns: " + ",".join(invalid))
        device_id = device_id_for(estate, key)
        ports = estate.network.ports(device_id) if device_id is not None else []
        rows = [project(p, columns) for p in sorted(ports, key=lambda p: p["ifIndex"]) if not p["deleted"]]
        if not rows:
            return error(404, "No ports found")
        return 200, body("ports", rows, cfg["legacy_types"], count=False)

    def estate_addresses(self, estate, cfg, family) -> tuple:
        if family not in (None, "ipv4", "ipv6") or (family and (cfg["legacy_types"] or cfg["old_server"])):
            return error(404, "This API route doesn't exist.")
        v4, v6 = estate.network.all_addresses()
        rows = (v4 if family != "ipv6" else []) + (v6 if family != "ipv4" else [])
        if not rows:
            return error(404, "IP addresses do not exist")
        legacy = cfg["legacy_types"]
        return self._cached(estate, ("ip_addresses", family, legacy), lambda: body("ip_addresses", rows, legacy))

    @staticmethod
    def device_ip(estate, cfg, key) -> tuple:
        device_id = device_id_for(estate, key)
        v4, v6 = estate.network.live_addresses(device_id) if device_id is not None else ([], [])
        if not v4 + v6:
            return error(404, f"Device {'' if device_id is None else device_id} does not have any IP addresses")
        return 200, body("addresses", v4 + v6, cfg["legacy_types"])

    def estate_links(self, estate, cfg) -> tuple:
        links = estate.network.links()
        if not links:
            return error(404, "Links do not exist")
        legacy = cfg["legacy_types"]
        return self._cached(estate, ("links", legacy), lambda: body("links", links, legacy))

    @staticmethod
    def device_links(estate, cfg, key) -> tuple:
        device_id = device_id_for(estate, key)
        links = estate.network.links()
        if device_id is not None:
            links = [link for link in links if link["local_device_id"] == device_id]
        if not links:
            return error(404, "Links do not exist")
        return 200, body("links", links, cfg["legacy_types"])


def error(status: int, message: str) -> tuple:
    return status, jsonfmt.pretty({"status": "error", "message": message}).encode()
