# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The constructed fast path, one expression at a time: the same answer as ansible-core's Templar, less work.

Expressions come from a YAML file loaded as ansible-core loads an inventory source (trusted, with their origin),
so the results compared carry the same tags. The whole-inventory comparison is in
tests/unit/plugins/inventory/test_constructed_equivalence.py.
"""

from __future__ import annotations

import pytest
import yaml
from ansible.module_utils._internal._datatag import AnsibleTagHelper
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, is_trusted_as_template, trust_as_template
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils import _constructed
from ansible_collections.netbox_librenms.sync.plugins.plugin_utils._constructed import (
    ConstructedTemplar,
    frozen,
    path_of,
)
from jinja2.parser import Parser

EXPRESSIONS = [
    "librenms_os", "  librenms_os ", "librenms_uptime", "librenms_status", "librenms_lat", "librenms_groups",
    "librenms_nothing", "meta.site", "meta.nested.os", "meta.items", "meta.missing", "meta._private",
    "librenms_os.upper", "none", "self", "range",
    "'cisco.ios.ios' if librenms_os in ['ios', 'iosxe'] else librenms_os",
    "librenms_hostname.split('.')[0]", "librenms_features | default('', true)", "librenms_hardware | lower",
    "librenms_os ~ '-' ~ librenms_version", "librenms_uptime > 5000000", "librenms_uptime // 86400",
    "librenms_hardware is none", "netbox_device_id is not defined", "librenms_groups | join(',')",
    "librenms_groups | length", "meta | dict2items | length", "librenms_os | regex_replace('^ios', 'IOS')",
    "librenms_lat | string", "librenms_status | ternary('up', 'down')", "librenms_os | ansible.builtin.upper",
    "lookup('ansible.builtin.env', 'NO_SUCH_VARIABLE_HOPEFULLY', default='x')", "now().year > 2000",
    "'{{ librenms_os }}'", "librenms_os |", "librenms_os ~ omit", "{'a': librenms_os}",
    "[librenms_os, librenms_version]", "librenms_groups[0]", "meta['site']", "librenms_notes",
]
VARIABLES = [
    {"librenms_os": "ios", "librenms_version": "15.2", "librenms_uptime": 6000000, "librenms_status": True,
     "librenms_lat": -0.0, "librenms_groups": ["London", "All"], "librenms_hostname": "sw1.example.net",
     "librenms_hardware": "WS-C2960X", "librenms_features": None, "librenms_notes": "{{ lookup('pipe', 'id') }}",
     "meta": {"site": "LON1", "nested": {"os": "ios"}}},
    {"librenms_os": "iosxe", "librenms_version": None, "librenms_uptime": None, "librenms_status": False,
     "librenms_lat": 0.0, "librenms_groups": [], "librenms_hostname": "10.0.0.1", "librenms_hardware": None,
     "librenms_features": "", "netbox_device_id": 5, "meta": {"site": None, "nested": {}}},
    {"librenms_os": "junos", "librenms_version": "21.4", "librenms_uptime": 10, "librenms_status": 1,
     "librenms_lat": 1.5, "librenms_groups": "London", "librenms_hostname": "", "librenms_hardware": "MX204",
     "librenms_features": "x", "meta": ["not", "a", "dict"]},
    # a value a template may render (trusted, as host variables from a static inventory are): never read directly
    {"librenms_os": trust_as_template("{{ 'ios' }}"), "librenms_version": "1", "librenms_uptime": 1,
     "librenms_status": trust_as_template("{{ true }}"), "librenms_hostname": "a", "librenms_hardware": "x",
     "librenms_groups": [trust_as_template("{{ 'a' }}")], "meta": {"site": trust_as_template("{{ 'b' }}")}},
]


def trusted(texts, tmp_path):
    """The texts as an inventory source gives them: trusted, each with its origin."""
    path = tmp_path / "expressions.yml"
    path.write_text(yaml.safe_dump({"items": list(texts)}))
    return DataLoader().load_from_file(str(path), cache="none", trusted_as_template=True)["items"]


def outcome(method, expression):
    try:
        value = method(expression)
    except Exception as exc:  # the same failure is part of the same answer
        return ("error", type(exc).__name__, str(exc))
    return ("value", value, described(value))


def described(value):
    """Type, tags and trust of a value and of everything in it."""
    if isinstance(value, dict):
        inner = [(described(key), described(item)) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        inner = [described(item) for item in value]
    else:
        inner = is_trusted_as_template(value) if isinstance(value, str) else None
    return type(AnsibleTagHelper.untag(value)).__name__, AnsibleTagHelper.tags(value), inner


@pytest.fixture()
def templars():
    return ConstructedTemplar(loader=DataLoader()), Templar(loader=DataLoader())


@pytest.mark.parametrize("conditional", [False, True], ids=["expression", "conditional"])
def test_every_expression_answers_as_ansible_core_does(tmp_path, templars, conditional):
    fast, core = templars
    expressions = trusted(EXPRESSIONS, tmp_path)
    for _round in range(2):  # the second round answers from what the first one kept
        for variables in VARIABLES:
            fast.available_variables = core.available_variables = variables
            for expression in expressions:
                method = "evaluate_conditional" if conditional else "evaluate_expression"
                expected = outcome(getattr(core, method), expression)
                assert outcome(getattr(fast, method), expression) == expected, (expression, variables)


def test_keyed_group_keys_give_the_same_groups_and_are_read_without_templating(tmp_path, templars):
    """A key's value only names groups, so a bare name read directly may lack ansible-core's origin tag."""
    fast, core = templars
    expressions = trusted(EXPRESSIONS, tmp_path)
    fast.reading_keys = True
    for variables in VARIABLES:
        fast.available_variables = core.available_variables = variables
        for expression in expressions:
            expected = outcome(core.evaluate_expression, expression)
            found = outcome(fast.evaluate_expression, expression)
            assert found[:2] == expected[:2], (expression, variables)
    fast.available_variables = VARIABLES[0]
    expression = trusted(["librenms_groups"], tmp_path)[0]
    assert fast.evaluate_expression(expression) is VARIABLES[0]["librenms_groups"]  # read, not rendered


def test_untrusted_expressions_fail_as_in_ansible_core(templars):
    fast, core = templars
    fast.available_variables = core.available_variables = VARIABLES[0]
    for call in ("evaluate_expression", "evaluate_conditional"):
        expected = outcome(getattr(core, call), "librenms_os == 'ios'")
        assert expected[0] == "error"
        assert outcome(getattr(fast, call), "librenms_os == 'ios'") == expected


def test_each_expression_is_compiled_once(tmp_path, monkeypatch):
    fast = ConstructedTemplar(loader=DataLoader())
    assert fast.compiles_once, "ansible-core's compile step moved: the fast path now compiles per host"
    environment = fast._engine.environment
    compiled = []
    original = environment.compile_expression

    def counting(source, *args, **kwargs):
        compiled.append(source)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(environment, "compile_expression", counting)
    uncached, pure, conditional = trusted(["librenms_os ~ now().year", "librenms_os | upper",
                                           "librenms_uptime > 5"], tmp_path)
    for number in range(50):
        fast.available_variables = {"librenms_os": f"os{number % 3}", "librenms_uptime": number}
        fast.evaluate_expression(uncached)
        fast.evaluate_expression(pure)
        fast.evaluate_conditional(conditional)
    assert sorted(compiled) == sorted([str(uncached), str(pure), str(conditional)])


def test_a_pure_expression_is_evaluated_once_per_distinct_value(tmp_path, monkeypatch):
    fast = ConstructedTemplar(loader=DataLoader())
    expression = trusted(["librenms_os | upper"], tmp_path)[0]
    calls = []
    original = Templar.evaluate_expression

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Templar, "evaluate_expression", counting)
    for number in range(30):
        fast.available_variables = {"librenms_os": ["ios", "eos", "junos"][number % 3], "other": number}
        assert fast.evaluate_expression(expression) == ["IOS", "EOS", "JUNOS"][number % 3]
    assert len(calls) == 3


@pytest.mark.parametrize(("text", "names"), [
    ("librenms_os", ("librenms_os",)),
    ("a.b | default(c) ~ d.split('-')[0]", ("a", "c", "d")),
    ("x is version('1.0', '>=')", ("x",)),
    ("lookup('env', 'HOME')", None),
    ("q('x') or x", None),
    ("x | random", None),
    ("x | map('upper') | list", None),
    ("x.pop()", None),
    ("range(3) | list", None),
    ("self", None),
])
def test_what_counts_as_pure(text, names):
    environment = ConstructedTemplar(loader=DataLoader())._engine.environment
    node = Parser(environment, text, state="variable").parse_expression()
    assert _constructed.pure_names(node, environment.globals) == names


def test_paths_and_frozen_values():
    environment = ConstructedTemplar(loader=DataLoader())._engine.environment
    parse = Parser(environment, "a.b.c", state="variable").parse_expression()
    assert path_of(parse) == ("a", "b", "c")
    assert path_of(Parser(environment, "a[0]", state="variable").parse_expression()) is None
    assert frozen(1) != frozen(True) and frozen(1) != frozen(1.0) and frozen(0.0) != frozen(-0.0)
    assert frozen({"a": [1, None]}) == frozen({"a": [1, None]})
    with pytest.raises(_constructed._NotPlain):
        frozen(trust_as_template("x"))
    with pytest.raises(_constructed._NotPlain):
        frozen((1, 2))


def test_jinja_finds_dict_items_as_the_path_reader_assumes():
    """A path is read on plain dicts only; ansible-core renders them as lazy dicts, which must add no public
    attribute a name could hit instead of the item."""
    from ansible._internal._templating._lazy_containers import _AnsibleLazyTemplateDict

    assert not [name for name in dir(_AnsibleLazyTemplateDict) if not name.startswith("_") and not hasattr(dict, name)]
