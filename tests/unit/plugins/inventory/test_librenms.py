# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's own parts: group names sanitised as constructed does it, which files it reads, and
the ansible-core internal its host variables rely on."""

from __future__ import annotations

import pytest
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import is_trusted_as_template
from ansible.vars.manager import VariableManager
from ansible_collections.netbox_librenms.sync.plugins.inventory.librenms import InventoryModule
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils._inventory_hosts import build_hostvars, make_unsafe


@pytest.mark.parametrize(("raw", "safe"), [
    ("location_LON1 Docklands, London", "location_LON1_Docklands__London"),
    ("location_Bldg 7 / Fl 2 / Rm 2.14", "location_Bldg_7___Fl_2___Rm_2_14"),
    ("hardware_WS-C2960X-48FPD-L", "hardware_WS_C2960X_48FPD_L"),
    ("location_Zürich DC1", "location_Zürich_DC1"),
])
def test_group_names_are_sanitised_like_constructed_groups(raw, safe):
    assert InventoryModule._sanitize_group_name(raw) == safe


@pytest.mark.parametrize(("name", "accepted"), [
    ("librenms.yml", True), ("librenms.yaml", True), ("prod.librenms.yml", True), ("lab.librenms.yaml", True),
    ("mylibrenms.yml", False), ("librenms.json", False), ("hosts.yml", False), ("librenms.yml.bak", False),
])
def test_verify_file_accepts_only_its_names(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text("plugin: netbox_librenms.sync.librenms\n")
    assert InventoryModule().verify_file(str(path)) is accepted


def test_verify_file_refuses_a_missing_file(tmp_path):
    assert InventoryModule().verify_file(str(tmp_path / "librenms.yml")) is False


def test_host_variables_set_in_one_step_are_what_ansible_reads():
    """_set_hostvars updates Host.vars directly: set_variable per variable costs seconds at 10,000 hosts.

    This fails if an ansible-core upgrade changes what that relies on: a Host keeping its variables in a plain
    dict that get_vars() and the VariableManager (what `ansible-inventory --list` prints) read, and
    set_variable storing a value as it is given (no copy, no tag, no check our names would fail).
    """
    loader = DataLoader()
    manager = InventoryManager(loader=loader)
    plugin = InventoryModule()
    plugin.inventory = manager._inventory
    device = normalize_device({"device_id": 7, "hostname": "sw7.example.net", "sysName": "sw7", "os": "ios",
                               "status": 1, "lat": "51.5", "dependency_parent_id": "3,4",
                               "notes": "{{ lookup('pipe', 'id') }}"})
    hostvars = make_unsafe(build_hostvars(device, {7: ["London"]}, {7: {"netbox_device_id": 9}}))
    for name in ("direct", "one_by_one"):
        manager.add_host(name)
    plugin._set_hostvars("direct", dict(hostvars))
    for key, value in hostvars.items():
        manager._inventory.set_variable("one_by_one", key, value)
    direct, one_by_one = manager.get_host("direct"), manager.get_host("one_by_one")
    assert direct.vars.__class__ is dict  # a dict subclass could copy or tag on update
    assert list(direct.vars.items()) == list(one_by_one.vars.items())
    assert all(direct.vars[key] is one_by_one.vars[key] for key in hostvars)
    assert {key: direct.get_vars()[key] for key in hostvars} == hostvars
    variables = VariableManager(loader=loader, inventory=manager)
    listed = variables.get_vars(host=direct, include_hostvars=False, stage="all")
    assert {key: listed[key] for key in hostvars} == hostvars
    assert not is_trusted_as_template(listed["librenms_notes"])
