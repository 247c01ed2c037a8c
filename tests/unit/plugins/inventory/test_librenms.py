# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's own parts: group names sanitised as constructed does it, and which files it reads."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.inventory.librenms import InventoryModule


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
