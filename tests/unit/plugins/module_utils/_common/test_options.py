# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OptionAdapter: one read-only Mapping over a dict, a module's params or a plugin's options."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import (
    DEFAULT_SERVER_KEY,
    OptionAdapter,
    server_key_of,
)

PARAMS = {"librenms_url": "https://librenms.example.net", "server_key": "eu", "timeout": None,
          "use_sysname": False, "batch_size": 0}


class FakePlugin:
    """What an Ansible plugin offers: get_options() and get_option(name), which raises KeyError when unknown."""

    def __init__(self, options):
        self.options = dict(options)
        self.asked = []

    def get_options(self):
        return dict(self.options)

    def get_option(self, name):
        self.asked.append(name)
        return self.options[name]


def test_server_key_of_falls_back_to_the_default_for_unset_or_empty():
    assert DEFAULT_SERVER_KEY == "default"
    assert server_key_of(None) == "default"
    assert server_key_of({}) == "default"
    assert server_key_of({"server_key": ""}) == "default"
    assert server_key_of({"server_key": None}) == "default"
    assert server_key_of({"server_key": "eu"}) == "eu"
    assert server_key_of(OptionAdapter.from_dict(PARAMS)) == "eu"


def test_from_dict_is_a_mapping_of_the_given_options():
    options = OptionAdapter.from_dict(PARAMS)
    assert list(options) == list(PARAMS)
    assert len(options) == 5
    assert options == PARAMS
    assert options["librenms_url"] == "https://librenms.example.net"
    assert options.get("netbox_url") is None
    assert "netbox_url" not in options and "timeout" in options
    with pytest.raises(KeyError):
        options["netbox_url"]
    assert dict(options) == PARAMS
    assert server_key_of(options) == "eu"


def test_from_dict_of_nothing_is_empty_and_has_the_default_server_key():
    for source in (None, {}):
        options = OptionAdapter.from_dict(source)
        assert (len(options), dict(options), server_key_of(options)) == (0, {}, "default")


def test_from_dict_takes_a_copy():
    source = dict(PARAMS)
    options = OptionAdapter.from_dict(source)
    source["server_key"] = "us"
    source["netbox_url"] = "https://netbox.example.net"
    assert options["server_key"] == "eu"
    assert "netbox_url" not in options


def test_from_ansible_module_reads_its_params():
    module = SimpleNamespace(params=dict(PARAMS, server_key=None))
    options = OptionAdapter.from_ansible_module(module)
    assert options == dict(PARAMS, server_key=None)
    assert server_key_of(options) == "default"


def test_from_ansible_plugin_reads_each_option_through_get_option_when_asked():
    plugin = FakePlugin(PARAMS)
    options = OptionAdapter.from_ansible_plugin(plugin)
    assert plugin.asked == []
    assert sorted(options) == sorted(PARAMS)
    assert options["use_sysname"] is False
    plugin.options["use_sysname"] = True  # read when asked, not copied at construction
    assert options["use_sysname"] is True
    assert plugin.asked == ["use_sysname", "use_sysname"]


def test_from_ansible_plugin_limited_to_some_names():
    plugin = FakePlugin(PARAMS)
    options = OptionAdapter.from_ansible_plugin(plugin, ["server_key", "timeout", "server_key"])
    assert list(options) == ["server_key", "timeout"]  # a name given twice is one option
    assert options.get("librenms_url") is None
    assert plugin.asked == []  # an option outside the names never reaches the plugin
    assert server_key_of(options) == "eu"
    assert plugin.asked == ["server_key"]


def test_reading_an_option_the_source_does_not_have_raises():
    options = OptionAdapter.from_dict(PARAMS)
    assert options["timeout"] is None
    with pytest.raises(KeyError, match="netbox_url"):
        options["netbox_url"]


def test_with_values_is_a_new_adapter_and_leaves_the_source_alone():
    source = dict(PARAMS)
    options = OptionAdapter.from_dict(source)
    changed = options.with_values(server_key="us", netbox_url="https://netbox.example.net")
    assert changed["server_key"] == "us" and changed["netbox_url"] == "https://netbox.example.net"
    assert server_key_of(changed) == "us"
    assert list(changed) == [*PARAMS, "netbox_url"]
    assert options == PARAMS and "netbox_url" not in options
    assert source == PARAMS


def test_with_values_of_a_plugin_adapter_does_not_write_to_the_plugin():
    plugin = FakePlugin(PARAMS)
    changed = OptionAdapter.from_ansible_plugin(plugin).with_values(timeout=5.0)
    assert changed["timeout"] == 5.0
    assert plugin.options["timeout"] is None
    plugin.options["server_key"] = "us"
    assert changed["server_key"] == "eu"  # a copy of what the plugin held then


def test_adapter_is_read_only():
    options = OptionAdapter.from_dict(PARAMS)
    with pytest.raises(TypeError):
        options["server_key"] = "us"  # type: ignore[index]
