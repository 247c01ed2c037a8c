# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each argument spec block documents exactly the options of its doc fragment, and modules get fresh copies."""

from __future__ import annotations

import importlib

import pytest
import yaml
from ansible_collections.netbox_librenms.sync.plugins.module_utils import _options

FRAGMENTS = "ansible_collections.netbox_librenms.sync.plugins.doc_fragments."
BLOCKS = {
    "connection": _options.CONNECTION_ARGUMENT_SPEC,
    "filters": _options.FILTERS_ARGUMENT_SPEC,
    "validation": _options.VALIDATION_ARGUMENT_SPEC,
    "jobs": _options.JOBS_ARGUMENT_SPEC,
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


def test_generate_argspec_merges_in_order_and_copies():
    spec = _options.generate_argspec(_options.FILTERS_ARGUMENT_SPEC, batch_size={"type": "int", "default": 100})
    assert list(spec)[:len(_options.CONNECTION_ARGUMENT_SPEC)] == list(_options.CONNECTION_ARGUMENT_SPEC)
    assert spec["batch_size"] == {"type": "int", "default": 100}
    spec["filters"]["options"]["os"]["type"] = "int"
    assert _options.FILTERS_ARGUMENT_SPEC["filters"]["options"]["os"]["type"] == "str"


def test_secrets_are_never_logged():
    assert _options.CONNECTION_ARGUMENT_SPEC["librenms_token"]["no_log"] is True
    assert _options.CONNECTION_ARGUMENT_SPEC["netbox_token"]["no_log"] is True
    assert _options.JOBS_ARGUMENT_SPEC["redis_url"]["no_log"] is True
