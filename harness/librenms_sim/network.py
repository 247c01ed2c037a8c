"""An estate's ports, IP addresses and links, built per device on first use and kept.

Each device's interfaces draw from a Random seeded by (seed, device_id), so the answer for one device never
depends on which devices were asked for before; the links are built once for the whole estate.
"""

from __future__ import annotations

import threading

from harness.librenms_sim import portspecials
from harness.librenms_sim.addresses import AddressBook, device_addresses, dual_stack
from harness.librenms_sim.interfaces import OUI, build_interfaces
from harness.librenms_sim.inventory import seeded
from harness.librenms_sim.links import build_links
from harness.librenms_sim.ports import PORT_ID_STRIDE, number_ports

DEFAULT_FRONT_PORTS = 8
MAX_FRONT_PORTS = 96


class Network:
    def __init__(self, estate, front_ports: int = DEFAULT_FRONT_PORTS):
        if not portspecials.MIN_FRONT_PORTS <= int(front_ports) <= MAX_FRONT_PORTS:
            raise ValueError(f"front_ports must be between {portspecials.MIN_FRONT_PORTS} and {MAX_FRONT_PORTS}")
        self.estate = estate
        self.front_ports = int(front_ports)
        self.special_names = {device_id: name for name, device_id in estate.specials.items()}
        self._ports: dict = {}
        self._addresses: dict = {}
        self._links = None
        self._lock = threading.Lock()

    # -- per device -----------------------------------------------------------------------------------------
    def ports(self, device_id: int) -> list:
        """Every stored port of the device (deleted ones too), in ifIndex order; [] for an unknown id."""
        ports = self._ports.get(device_id)
        if ports is None:
            ports = self._build_ports(device_id)
            with self._lock:
                self._ports[device_id] = ports
        return ports

    def _build_ports(self, device_id: int) -> list:
        device = self.estate.by_id.get(device_id)
        if device is None:
            return []
        pkey, plan = self.estate.pkeys[device_id], self.estate.plans[device_id]
        items = build_interfaces(device, pkey, plan, seeded(f"ports:{self.estate.seed}:{device_id}"),
                                 self.front_ports)
        name = self.special_names.get(device_id)
        if name:
            items = portspecials.adjust_interfaces(name, device, plan, items)
        return number_ports(device, items, OUI.get(device.get("os") or "", "02005e"))

    def addresses(self, device_id: int) -> AddressBook:
        """The device's address rows, those of deleted ports included (as in the estate-wide answer)."""
        book = self._addresses.get(device_id)
        if book is None:
            device = self.estate.by_id.get(device_id)
            if device is None:
                return AddressBook(device_id)
            ports = self.ports(device_id)
            name = self.special_names.get(device_id)
            book = device_addresses(device, ports, dual_stack(device_id) or name in portspecials.DUAL_STACK)
            if name:
                portspecials.adjust_addresses(name, ports, book)
            with self._lock:
                self._addresses[device_id] = book
        return book

    def live_addresses(self, device_id: int) -> tuple:
        """(v4, v6) of GET /devices/{d}/ip: the join on ports leaves deleted ports' addresses out."""
        deleted = {p["port_id"] for p in self.ports(device_id) if p["deleted"]}
        book = self.addresses(device_id)
        return ([r for r in book.v4 if r["port_id"] not in deleted],
                [r for r in book.v6 if r["port_id"] not in deleted])

    # -- whole estate ---------------------------------------------------------------------------------------
    def all_ports(self) -> list:
        """Every port of the estate in port_id order, deleted ones too (the routes filter)."""
        return [port for device in self.estate.devices for port in self.ports(device["device_id"])]

    def all_addresses(self) -> tuple:
        """(v4 rows, v6 rows) of the whole estate, ids ascending."""
        books = [self.addresses(device["device_id"]) for device in self.estate.devices]
        return [r for b in books for r in b.v4], [r for b in books for r in b.v6]

    def links(self) -> list:
        if self._links is None:
            links = build_links(self.estate, self, len(self.estate.specials) + 1)
            with self._lock:
                self._links = links
        return self._links

    def port_by_id(self, port_id: int):
        device_id = port_id // PORT_ID_STRIDE
        return next((p for p in self.ports(device_id) if p["port_id"] == port_id), None)
