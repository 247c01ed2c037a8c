"""The API v0 routes the simulator answers, as pure functions of (estate, config, route, parameters)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.librenms_sim import jsonfmt
from harness.librenms_sim.portroutes import PortRoutes, port_endpoint_of
from harness.librenms_sim.portroutes import device_id_for as _device_id_for
from harness.librenms_sim.ports import full_row
from harness.librenms_sim.query import fold, mysql_number, order_rows, parse_order, select
from harness.librenms_sim.views import merge_port, single_device, stringify

JSON = "application/json"
NOT_FOUND = "This API route doesn't exist."


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = JSON


def success(key, rows, message=None, legacy=False) -> Answer:
    if legacy:
        rows = [stringify(r) for r in rows]
    out = {"status": "ok", key: rows}
    if message:
        out["message"] = message
    out["count"] = len(rows)
    return Answer(200, jsonfmt.pretty(out).encode())


def error(status: int, message: str) -> Answer:
    return Answer(status, jsonfmt.pretty({"status": "error", "message": message}).encode())


def classify(parts: list) -> str:
    """The stats bucket of a path below /api/v0 (split on "/")."""
    n = len(parts)
    if port_endpoint_of(parts) or (n >= 1 and parts[0] == "devices"):
        return port_endpoint_of(parts) or {1: "list_devices", 2: "get_device"}.get(n, "other")
    if n >= 2 and parts[0] == "inventory":
        if n == 3 and parts[2] == "all":
            return "inventory_all"
        return "inventory" if n == 2 else "other"
    if parts == ["resources", "locations"]:
        return "locations"
    if n >= 1 and parts[0] == "devicegroups":
        return {1: "devicegroups", 2: "devicegroup"}.get(n, "other")
    return "other"


def php_truthy(value) -> bool:
    return value not in (None, "", "0")


class Routes:
    def __init__(self, sim):
        self.sim = sim  # the server's SimState: estate, config, caches
        self.port_routes = PortRoutes(sim)

    def dispatch(self, parts: list, params: dict, base_url: str) -> Answer:  # noqa: PLR0911, PLR0912 - router
        estate, cfg = self.sim.estate, self.sim.config_snapshot()
        n = len(parts)
        head = parts[0] if parts else ""
        if n == 0:
            return self.index(base_url)
        if parts == ["system"]:
            return self.system(cfg)
        if head == "devices":
            if n == 1:
                return self.list_devices(estate, cfg, params)
            if n == 2:
                return self.get_device(estate, cfg, parts[1])
            if n == 3 and parts[2] == "groups":
                return self.device_groups_of(estate, cfg, parts[1])
        if port_endpoint_of(parts):
            return self.port_answer(estate, cfg, parts, params)
        if head == "inventory" and n == 2:
            return self.inventory(estate, cfg, parts[1], params)
        if head == "inventory" and n == 3 and parts[2] == "all":
            return self.inventory_all(estate, cfg, parts[1])
        if parts == ["resources", "locations"]:
            if not estate.locations:
                return error(404, "Locations do not exist")
            return success("locations", estate.locations, legacy=cfg["legacy_types"])
        if head == "devicegroups" and n == 1:
            return self.devicegroups(estate, cfg)
        if head == "devicegroups" and n == 2:
            return self.devicegroup(estate, cfg, parts[1], params)
        return error(404, NOT_FOUND)

    def port_answer(self, estate, cfg, parts, params) -> Answer:
        routes = self.port_routes
        if parts == ["ports"]:
            status, body = routes.estate_ports(estate, cfg, params)
        elif parts == ["resources", "links"]:
            status, body = routes.estate_links(estate, cfg)
        elif parts[0] == "resources":
            status, body = routes.estate_addresses(estate, cfg, parts[3] if len(parts) == 4 else None)
        elif parts[2] == "ports":
            status, body = routes.device_ports(estate, cfg, parts[1], params)
        elif parts[2] == "ip":
            status, body = routes.device_ip(estate, cfg, parts[1])
        else:
            status, body = routes.device_links(estate, cfg, parts[1])
        return Answer(status, body)

    # -- routes -------------------------------------------------------------------------------------------
    @staticmethod
    def index(base_url: str) -> Answer:
        names = {
            "system": "system", "list_devices": "devices", "get_device": "devices/{hostname}",
            "get_port_graphs": "devices/{hostname}/ports", "get_device_ip_addresses": "devices/{hostname}/ip",
            "list_links": "devices/{hostname}/links", "get_all_ports": "ports", "list_ip_addresses":
            "resources/ip/addresses/{address_family?}", "list_all_links": "resources/links",
            "get_device_groups_device": "devices/{hostname}/groups", "get_inventory": "inventory/{hostname}",
            "get_inventory_for_device": "inventory/{hostname}/all", "list_locations": "resources/locations",
            "get_device_groups": "devicegroups", "get_devices_by_group": "devicegroups/{name}",
        }
        routes = {name: f"{base_url}/api/v0/{path}" for name, path in names.items()}
        return Answer(200, jsonfmt.pretty(routes).encode())

    @staticmethod
    def system(cfg) -> Answer:
        version = "21.1.0" if cfg["legacy_types"] else "22.10.0" if cfg["old_server"] else "26.2.0"
        row = {"local_ver": version, "local_sha": "4c1d1e2f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d",
               "local_date": "2026-02-02 10:14:07", "local_branch": "master", "db_schema": "2026_01_20_101500",
               "php_ver": "8.3.6", "python_ver": "3.12.3", "database_ver": "MariaDB 10.11.6-MariaDB",
               "rrdtool_ver": "1.7.2", "netsnmp_ver": "NET-SNMP 5.9.4.pre2"}
        return success("system", [row])

    def list_devices(self, estate, cfg, params) -> Answer:
        type_, query, order = params.get("type"), params.get("query"), params.get("order")
        legacy, old = cfg["legacy_types"], cfg["old_server"]
        key = ("list_devices", type_, query, order, legacy, old)
        cached = self.sim.cache_get(estate, key)
        if cached is not None:
            return Answer(200, cached)
        parsed = parse_order(order)
        join = None
        if parsed is None:
            rows = []  # ORDER BY d.`nope`: the SQL error is swallowed and nothing comes back
        else:
            rows, join = select(estate.devices, type_, query, old_server=old)
            if join:
                rows = self._join_ports(estate, join, query)
            rows = order_rows(rows, *parsed)
        if join:
            body = success("devices", rows, legacy=legacy).body
        else:
            fragments = self.sim.fragments(estate, legacy)
            body = jsonfmt.success_from_fragments("devices", [fragments[r["device_id"]] for r in rows], len(rows))
            body = body.encode()
        self.sim.cache_put(estate, key, body)
        return Answer(200, body)

    @staticmethod
    def _join_ports(estate, join, query):
        """LEFT JOIN ports (and ipv4_addresses or ipv6_addresses): one row per matching port, its columns merged."""
        if query is None:
            return []
        folded = fold(query).rstrip(" ")
        out = []
        for device in estate.devices:
            network, device_id = estate.network, device["device_id"]
            if join == "mac":
                hits = {p["port_id"] for p in network.ports(device_id) if fold(p["ifPhysAddress"]) == folded}
            else:
                book = network.addresses(device_id)
                hits = {r["port_id"] for r in book.v4 if r["ipv4_address"] == query} if join == "ipv4" else {
                    r["port_id"] for r in book.v6 if query in (r["ipv6_address"], r["ipv6_compressed"])}
            out += [merge_port(device, full_row(p)) for p in network.ports(device_id) if p["port_id"] in hits]
        return out

    @staticmethod
    def get_device(estate, cfg, key) -> Answer:
        device = estate.find(key)
        if device is None:
            return error(404, f"Device {key} does not exist")
        row = single_device(device, estate, legacy=cfg["legacy_types"], int_flags=cfg["single_device_int_flags"],
                            location_as_object=cfg["location_object"])
        return success("devices", [row])

    @staticmethod
    def inventory_all(estate, cfg, key) -> Answer:
        device_id = _device_id_for(estate, key)
        rows = estate.inventory(device_id) if device_id in estate.by_id else []
        return success("inventory", rows, legacy=cfg["legacy_types"])

    @staticmethod
    def inventory(estate, cfg, key, params) -> Answer:
        device_id = _device_id_for(estate, key)
        if device_id is None:
            return error(400, "Invalid device provided")
        rows = estate.inventory(device_id) if device_id in estate.by_id else []
        wanted_class = params.get("entPhysicalClass")
        if php_truthy(wanted_class):
            folded = fold(wanted_class).rstrip(" ")
            rows = [r for r in rows if r["entPhysicalClass"] is not None
                    and fold(r["entPhysicalClass"]).rstrip(" ") == folded]
        contained = params.get("entPhysicalContainedIn")
        parent = mysql_number(contained) if php_truthy(contained) else 0.0
        rows = [r for r in rows if float(r["entPhysicalContainedIn"]) == parent]
        return success("inventory", rows, legacy=cfg["legacy_types"])

    @staticmethod
    def devicegroups(estate, cfg) -> Answer:
        groups = sorted(estate.device_groups, key=lambda g: fold(g["name"]))
        if not groups:
            return error(404, "No device groups found")
        return success("groups", groups, message=f"Found {len(groups)} device groups", legacy=cfg["legacy_types"])

    @staticmethod
    def device_groups_of(estate, cfg, key) -> Answer:
        device = estate.find(key)
        if device is None:
            return error(404, "Device not found")
        groups = sorted(estate.groups_of(device["device_id"]), key=lambda g: fold(g["name"]))
        if not groups:
            return error(404, "No device groups found")
        return success("groups", groups, message=f"Found {len(groups)} device groups", legacy=cfg["legacy_types"])

    @staticmethod
    def devicegroup(estate, cfg, name, params) -> Answer:
        if name.isdigit() and name.isascii():
            group = next((g for g in estate.device_groups if g["id"] == int(name)), None)
        else:
            group = next((g for g in estate.device_groups if fold(g["name"]) == fold(name)), None)
        if group is None:
            return error(404, "Device group not found")
        members = estate.group_members[group["id"]]
        if not members:
            return error(404, f"No devices found in group {name}")
        if php_truthy(params.get("full")):
            rows = [single_device(estate.by_id[i], estate, legacy=cfg["legacy_types"],
                                  int_flags=cfg["single_device_int_flags"]) for i in members]
            return success("devices", rows)
        return success("devices", [{"device_id": i} for i in members], legacy=cfg["legacy_types"])
