# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each argument spec block documents exactly the options of its doc fragment, and modules get fresh copies."""

from __future__ import annotations

import importlib

import pytest
import yaml
from ansible.module_utils.common.parameters import env_fallback
from ansible_collections.netbox_librenms.sync.plugins.module_utils import _options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    CONNECTION_OPTION_NAMES,
    generate_argspec,
)

FRAGMENTS = "ansible_collections.netbox_librenms.sync.plugins.doc_fragments."
BLOCKS = {
    "connection": _options.CONNECTION_ARGUMENT_SPEC,
    "filters": _options.FILTERS_ARGUMENT_SPEC,
    "validation": _options.VALIDATION_ARGUMENT_SPEC,
    "jobs": _options.JOBS_ARGUMENT_SPEC,
    "writes": _options.WRITES_ARGUMENT_SPEC,
    "sync": _options.SYNC_ARGUMENT_SPEC,
}


def documented(fragment: str) -> dict:
    module = importlib.import_module(FRAGMENTS + fragment)
    return yaml.safe_load(module.ModuleDocFragment.DOCUMENTATION)["options"]


@pytest.mark.parametrize("fragment", sorted(BLOCKS))
def test_a_spec_block_has_the_options_of_its_fragment(fragment):
    docs = documented(fragment)
    spec = BLOCKS[fragment]
    assert sorted(spec) == sorted(docs)
    for name, option in spec.items():
        assert option.get("type", "str") == docs[name].get("type", "str"), name
        assert option.get("default") == docs[name].get("default"), name
        assert sorted(option.get("options") or ()) == sorted(docs[name].get("suboptions") or ()), name


def test_no_option_is_in_two_blocks():
    names = [name for block in BLOCKS.values() for name in block]
    assert len(names) == len(set(names))


def test_generate_argspec_puts_the_shared_blocks_before_the_module_options():
    spec = _options.generate_argspec(_options.FILTERS_ARGUMENT_SPEC, batch_size={"type": "int", "default": 100})
    assert list(spec) == [*CONNECTION_OPTION_NAMES, *_options.FILTERS_ARGUMENT_SPEC, "batch_size"]
    spec["filters"]["options"]["os"]["type"] = "int"
    assert _options.FILTERS_ARGUMENT_SPEC["filters"]["options"]["os"]["type"] == "str"


def test_the_redis_url_is_never_logged():
    assert _options.JOBS_ARGUMENT_SPEC["redis_url"]["no_log"] is True
    assert _options.JOBS_ARGUMENT_SPEC["redis_url"]["fallback"] == (env_fallback, ["NETBOX_LIBRENMS_REDIS_URL"])


def test_the_spec_names_every_connection_option_with_its_environment_variable():
    assert CONNECTION_OPTION_NAMES == (
        "librenms_url", "librenms_token", "librenms_validate_certs", "librenms_ca_path", "netbox_url",
        "netbox_token", "netbox_validate_certs", "netbox_ca_path", "timeout", "server_key")
    fallbacks = {name: spec["fallback"][1] for name, spec in CONNECTION_ARGUMENT_SPEC.items() if "fallback" in spec}
    assert fallbacks == {"librenms_url": ["LIBRENMS_URL"], "librenms_token": ["LIBRENMS_TOKEN"],
                         "netbox_url": ["NETBOX_URL", "NETBOX_API"], "netbox_token": ["NETBOX_TOKEN"]}
    assert all(spec["fallback"][0] is env_fallback for spec in CONNECTION_ARGUMENT_SPEC.values() if "fallback" in spec)
    assert [name for name, spec in CONNECTION_ARGUMENT_SPEC.items() if spec.get("no_log")] == [
        "librenms_token", "netbox_token"]
    assert CONNECTION_ARGUMENT_SPEC["server_key"] == {"type": "str", "default": "default", "no_log": False}


def test_generate_argspec_adds_the_module_options_to_a_fresh_copy():
    spec = generate_argspec(batch_size={"type": "int", "default": 100}, timeout={"type": "float", "default": 60.0})
    assert list(spec)[:len(CONNECTION_OPTION_NAMES)] == list(CONNECTION_OPTION_NAMES)
    assert spec["batch_size"] == {"type": "int", "default": 100}
    assert spec["timeout"] == {"type": "float", "default": 60.0}  # a module may override a connection option
    assert CONNECTION_ARGUMENT_SPEC["timeout"] == {"type": "float", "default": 30.0}
    assert "batch_size" not in CONNECTION_ARGUMENT_SPEC


def test_generate_argspec_copies_deeply():
    first = generate_argspec()
    first["netbox_url"]["fallback"][1].append("MY_NETBOX")
    first["server_key"]["default"] = "eu"
    second = generate_argspec()
    assert second["netbox_url"]["fallback"][1] == ["NETBOX_URL", "NETBOX_API"]
    assert second["server_key"]["default"] == "default"
    assert CONNECTION_ARGUMENT_SPEC["netbox_url"]["fallback"][1] == ["NETBOX_URL", "NETBOX_API"]
    assert second == CONNECTION_ARGUMENT_SPEC and second is not CONNECTION_ARGUMENT_SPEC
