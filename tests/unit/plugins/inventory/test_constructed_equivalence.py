# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""compose, groups and keyed_groups through the fast path give what ansible-core's Constructable gives.

The simulator's estate, as its list endpoint serialises it and the library normalises it, becomes an inventory
twice: through the plugin's own _populate (FastConstructable), and through the same _populate on a plugin built
from ansible-core's BaseInventoryPlugin and Constructable only. Hosts, their variables (values, types, tags and
trust), groups and memberships must be identical, and so must the error when one is raised.
"""

from __future__ import annotations

import json

import pytest
import yaml
from ansible.inventory.data import InventoryData
from ansible.module_utils._internal._datatag import AnsibleTagHelper
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable
from ansible.plugins.loader import inventory_loader
from ansible.template import is_trusted_as_template
from ansible_collections.netbox_librenms.sync.plugins.inventory.librenms import InventoryModule
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils._constructed import ConstructedTemplar
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils._inventory_hosts import device_group_memberships

from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.jsonfmt import row_fragment

SETTINGS = {"use_sysname": True, "strip_domain": False, "group_by": ["location", "os", "type", "device_groups"]}
FACTS = "{'os': librenms_os, 'hw': librenms_hardware, 'features': librenms_features}"
CONFIGS = {
    "integration": {  # tests/integration/test_inventory.py's composed inventory
        "compose": {"ansible_network_os": "'cisco.ios.ios' if librenms_os in ['ios', 'iosxe'] else "
                                          "'junipernetworks.junos.junos'",
                    "site_code": "librenms_hostname.split('-')[0]"},
        "groups": {"no_hardware": "librenms_hardware is none", "long_uptime": "librenms_uptime > 5000000"},
        "keyed_groups": [{"key": "librenms_version", "prefix": "version"},
                         {"key": "librenms_features | default('', true)", "prefix": "features",
                          "default_value": "none"}],
    },
    "key_shapes": {  # str, list, dict, None and '' keys, with every naming option
        "compose": {"facts": FACTS, "flags": "[librenms_os, librenms_features, '']"},
        "keyed_groups": [
            {"key": "librenms_device_groups", "prefix": "dg", "separator": "-"},
            {"key": "facts", "prefix": "f"},
            {"key": "facts", "prefix": "t", "trailing_separator": False},
            {"key": "facts", "prefix": "dv", "default_value": "unknown"},
            {"key": "flags", "prefix": "fl", "default_value": "empty"},
            {"key": "librenms_features", "prefix": "feat"},
            {"key": "librenms_features", "prefix": "nf", "default_value": "nofeat"},
            {"key": "librenms_location", "separator": "", "parent_group": "locations"},
            {"key": "librenms_os", "prefix": "os", "parent_group": "{{ librenms_type }} hosts"},
            {"key": "librenms_type", "prefix": "", "separator": "__"},
        ],
    },
    "paths_and_composed": {  # attribute paths, composed variables seen by groups and keys, magic variables
        "compose": {"meta": "{'site': librenms_location, 'nested': {'os': librenms_os}}",
                    "os_upper": "librenms_os | upper", "later": "os_upper ~ '-x'", "alias": "inventory_hostname"},
        "groups": {"IOS hosts": "os_upper == 'IOS'", "in os_ios": "'os_ios' in group_names",
                   "short-names": "inventory_hostname_short == inventory_hostname", "meta site": "meta.site is none"},
        "keyed_groups": [{"key": "meta.site", "prefix": "site"}, {"key": "meta.nested.os", "prefix": "nos"},
                         {"key": "os_upper", "prefix": "up"},
                         {"key": "group_names | length | string", "prefix": "ngroups"},
                         {"key": "meta._private", "prefix": "p"}],
    },
    "lookups": {
        "compose": {"home_set": "lookup('ansible.builtin.env', 'HOME') is string", "year": "now().year > 2000",
                    "two": "range(2) | list", "up": "librenms_status | ternary('up', 'down')"},
        "groups": {"has_home": "lookup('ansible.builtin.env', 'HOME') | length > 0"},
        "keyed_groups": [{"key": "up", "prefix": "state"}],
    },
    "failures": {  # undefined, broken conditional, syntax error: skipped, or the error under strict
        "compose": {"fine": "librenms_os", "bad": "librenms_os |", "undefined": "librenms_nothing ~ 'x'"},
        "groups": {"broken": "librenms_os", "uptime": "librenms_uptime > 5000000"},
        "keyed_groups": [{"key": "librenms_nothing", "prefix": "x"}, {"key": "librenms_hardware", "prefix": "hw"}],
    },
    "invalid_key_type": {"keyed_groups": [{"key": "librenms_os", "prefix": "os"},
                                          {"key": "librenms_uptime", "prefix": "up"}]},
    "exclusive_options": {"keyed_groups": [{"key": "librenms_os", "default_value": "x", "trailing_separator": True}]},
    "no_leading_separator": {
        "leading_separator": False, "compose": {"facts": FACTS},
        "keyed_groups": [{"key": "librenms_os"}, {"key": "facts", "separator": "-"}, {"key": "librenms_type",
                                                                                      "prefix": "type"}],
    },
    "extra_vars": {  # compose and keys see extra vars; groups never do
        "use_extra_vars": True, "compose": {"env": "env_name ~ '-' ~ librenms_os"},
        "groups": {"prod": "env_name == 'prod'", "ios": "librenms_os == 'ios'"},
        "keyed_groups": [{"key": "env_name", "prefix": "env"}],
    },
}
DEFAULTS = {"compose": {}, "groups": {}, "keyed_groups": [], "use_extra_vars": False, "leading_separator": True}


class CoreInventory(BaseInventoryPlugin, Constructable):
    """ansible-core's own Constructable (and Templar), driven by the plugin's unchanged _populate."""

    NAME = InventoryModule.NAME
    _populate = InventoryModule._populate
    _set_hostvars = InventoryModule._set_hostvars


@pytest.fixture(scope="module")
def estate_data():
    estate = build_estate(seed=7, size=70)
    devices = [normalize_device(json.loads(row_fragment(row))) for row in estate.devices]
    members = [(group["name"], [{"device_id": device_id} for device_id in estate.group_members[group["id"]]])
               for group in estate.device_groups]
    return {"devices": devices, "device_groups": device_group_memberships(members), "netbox": None}


def populate(plugin, config, strict, data, path):
    """The inventory the plugin makes of the estate with this configuration, as ansible-core would load it."""
    path.write_text(yaml.safe_dump(dict(DEFAULTS, **config)))
    options = DataLoader().load_from_file(str(path), cache="none", trusted_as_template=True)
    plugin._options = dict(options, strict=strict)
    plugin.loader, plugin.inventory, plugin._vars = DataLoader(), InventoryData(), {"env_name": "prod"}
    plugin.inventory.current_source = str(path)
    plugin._populate(json.loads(json.dumps(data)), SETTINGS)
    return plugin.inventory


def described(value):
    """Type, tags and trust of a value and of everything in it."""
    if isinstance(value, dict):
        inner = [(described(key), described(item)) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        inner = [described(item) for item in value]
    else:
        inner = is_trusted_as_template(value) if isinstance(value, str) else None
    return type(AnsibleTagHelper.untag(value)).__name__, AnsibleTagHelper.tags(value), inner


def snapshot(inventory):
    return {
        "hosts": {name: [(key, value, described(value)) for key, value in host.vars.items()]
                  for name, host in inventory.hosts.items()},
        # sorted: a host's inherited groups come from a set of Group objects, hashed by identity, so their
        # order changes from run to run in ansible-core itself
        "host_groups": {name: sorted(group.name for group in host.groups) for name, host in inventory.hosts.items()},
        "groups": {name: ([host.name for host in group.hosts], [child.name for child in group.child_groups],
                          dict(group.vars)) for name, group in inventory.groups.items()},
    }


def outcome(plugin, config, strict, data, path):
    try:
        return "inventory", snapshot(populate(plugin, config, strict, data, path))
    except Exception as exc:  # the same error, word for word, is the same answer
        return "error", type(exc).__name__, str(exc)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_fast_path_makes_the_inventory_ansible_core_makes(name, strict, estate_data, tmp_path):
    fast = InventoryModule()
    expected = outcome(CoreInventory(), CONFIGS[name], strict, estate_data, tmp_path / "core.librenms.yml")
    found = outcome(fast, CONFIGS[name], strict, estate_data, tmp_path / "core.librenms.yml")
    assert isinstance(fast.templar, ConstructedTemplar) and fast.templar.compiles_once
    if expected[0] == "error" or found[0] == "error":
        assert found == expected
        return
    for part in ("groups", "host_groups", "hosts"):  # the smallest difference first
        assert found[1][part] == expected[1][part], part
    assert len(expected[1]["hosts"]) > 50


def test_the_estate_exercises_the_configurations(estate_data, tmp_path):
    """The comparisons above are not vacuous: groups of every kind exist, and strict runs do fail."""
    groups = snapshot(populate(InventoryModule(), CONFIGS["key_shapes"], False, estate_data, tmp_path / "a.yml"))
    names = set(groups["groups"])
    assert {"dg_London", "f_os_ios", "t_features", "dv_features_unknown", "fl_empty", "nf_nofeat",
            "locations", "network_hosts", "__network"} <= names
    assert {"f_features_", "feat_"} & names == set()
    plugin = InventoryModule()
    hosts = populate(plugin, CONFIGS["integration"], False, estate_data, tmp_path / "c.yml").hosts
    plans = {str(plan.source): plan for plan in plugin.templar._plans.values()}
    assert all(plan.names is not None for plan in plans.values())  # every expression there is shown pure...
    assert 1 < len(plans["librenms_hardware is none"].memo) < len(hosts) / 2  # ...once per distinct value
    assert len(plans["librenms_version"].memo) == 0 < len(hosts)  # a key read directly
    erring = {"invalid_key_type", "exclusive_options"}  # ansible-core raises whatever `strict` says
    for name in sorted(set(CONFIGS) - erring):  # the others are compared host by host when not strict
        assert outcome(InventoryModule(), CONFIGS[name], False, estate_data, tmp_path / "d.yml")[0] == "inventory"
    strict = outcome(InventoryModule(), CONFIGS["failures"], True, estate_data, tmp_path / "b.yml")
    assert strict[0] == "error" and "Could not set bad" in strict[2]


def test_the_plugin_can_be_switched_to_ansible_core_s_own_templar():
    plugin = InventoryModule()
    plugin.constructed_fast_path = False
    plugin.loader = DataLoader()
    assert type(plugin.templar).__name__ == "Templar"


def test_each_parse_starts_with_a_templar_of_its_own(tmp_path):
    path = tmp_path / "librenms.yml"
    path.write_text("plugin: netbox_librenms.sync.librenms\nlibrenms_url: http://127.0.0.1:9\n")
    plugin = inventory_loader.get(InventoryModule.NAME)
    plugin.loader = DataLoader()
    plugin._vars = {}
    first = plugin.templar
    plugin._read_config_data(str(path))
    assert plugin.templar is not first and isinstance(plugin.templar, ConstructedTemplar)
