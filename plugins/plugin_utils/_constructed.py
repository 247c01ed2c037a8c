# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: compose, groups and keyed_groups without the per-host Jinja cost.

ansible-core 2.21 has no public way to compile an expression once: ``Templar.evaluate_expression`` and
``evaluate_conditional`` compile it again on every call (``TemplateEngine._compile_expression`` keeps no cache),
which is most of what a constructed inventory costs. ``FastConstructable`` keeps ansible-core's Constructable
methods as they are (their loops, order, error messages, group naming and ``set_variable``) and hands them a
templar that does less work for the same answers:

1. every expression is compiled once per run, by ansible-core's own compile step behind a memo;
2. a keyed_groups key or a groups conditional that is a bare name or an attribute path (``librenms_os``, ``a.b``)
   is read from the variables, without templating, when the value found is plain data (and a str, list, dict
   or None for a key, a bool for a conditional);
3. an expression shown pure (below) is evaluated by ansible-core once per distinct value of the variables it
   names; hosts with the same values get the same immutable result (a string, number, bool or None).

An expression is pure when it is trusted, holds no ``{{``, ``{%`` or ``{#``, parses as one Jinja expression, and
is made only of variables (no Jinja global such as ``lookup``, ``query`` or ``now``), literals, operators, the
filters and tests listed below when they resolve to ansible-core's or Jinja's own code, and the str/dict/list
methods listed below. Plain data is exactly str, int, float, bool, None, list and dict, so never a trusted or
otherwise tagged value. Everything else, and any failure, is ansible-core's own evaluation for that host.
"""

from __future__ import annotations

import functools

from ansible.errors import AnsibleError
from ansible.plugins.inventory import Constructable
from ansible.plugins.loader import filter_loader, test_loader
from ansible.template import Templar
from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.parser import Parser

try:  # ansible-core 2.19 and later; before, the plugin uses ansible-core's own Templar and nothing here
    from ansible.template import is_trusted_as_template
except ImportError:  # pragma: no cover - ansible-core 2.17 and 2.18
    is_trusted_as_template = None
try:  # ansible-core internals; without them every expression is compiled for every host, as ansible-core does
    from ansible._internal._templating._engine import TemplateEngine as _TemplateEngine
    from ansible._internal._templating._jinja_bits import AnsibleTemplateExpression as _CompiledExpression
except ImportError:  # pragma: no cover - another ansible-core layout
    _TemplateEngine = _CompiledExpression = None


def _words(text):
    return text.split()


PURE_FILTERS = frozenset(_words("""
    abs basename bool capitalize center combine count d default dict2items dictsort dirname first flatten float
    from_json hash int items items2dict join last length list lower mandatory max min quote regex_escape
    regex_findall regex_replace regex_search replace reverse round sort split splitext string sum ternary title
    to_json to_nice_json to_uuid trim truncate unique upper wordcount
"""))
PURE_TESTS = frozenset(_words("""
    all any boolean contains defined divisibleby eq equalto even false falsy float ge gt in integer iterable le
    lower lt mapping match ne none number odd regex search sequence string subset superset true truthy
    undefined upper version version_compare
"""))
PURE_METHODS = frozenset(_words("""
    capitalize casefold center count endswith find get index isalnum isalpha isdecimal isdigit islower isnumeric
    isspace isupper items join keys ljust lower lstrip partition removeprefix removesuffix replace rfind rindex
    rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title upper values zfill
"""))
_PURE_NODES = frozenset((
    nodes.Const, nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair, nodes.Getattr, nodes.Getitem, nodes.Slice,
    nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Add, nodes.Sub,
    nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Concat, nodes.CondExpr, nodes.Keyword,
))
# Names Jinja gives a meaning of its own in a template, whatever the variables hold.
_SPECIAL_NAMES = frozenset(("self", "loop", "caller", "varargs", "kwargs", "super"))
_TEMPLATE_MARKS = ("{{", "{%", "{#")
MEMO_LIMIT = 65536  # distinct variable values remembered per expression

_CORE = object()  # "ask ansible-core"
_MISSING = object()  # a variable the host does not have


class _NotPlain(Exception):
    pass


def frozen(value):
    """A hashable image of plain data, equal only for values every expression treats the same way."""
    kind = value.__class__
    if kind is str or kind is int or kind is bool or value is None or value is _MISSING:
        return kind, value
    if kind is float:
        return kind, repr(value)  # 0.0 and -0.0 are equal but print differently
    if kind is list:
        return kind, tuple(frozen(item) for item in value)
    if kind is dict:
        return kind, tuple((frozen(key), frozen(item)) for key, item in value.items())
    raise _NotPlain


def read_path(variables, path):
    """The plain value at ``a.b.c`` as Jinja finds it, or _CORE when only ansible-core can tell."""
    value = variables.get(path[0], _MISSING)
    for part in path[1:]:
        # On a dict, Jinja prefers an attribute (a method such as ``items``) to the item.
        if value.__class__ is not dict or part.startswith("_") or hasattr(dict, part):
            return _CORE
        value = value.get(part, _MISSING)
    if value is _MISSING:
        return _CORE
    try:
        frozen(value)
    except _NotPlain:
        return _CORE
    return value


def path_of(node):
    """``("a", "b")`` for the expression ``a.b``, None for anything but a name and attribute lookups."""
    parts = []
    while node.__class__ is nodes.Getattr:
        parts.append(node.attr)
        node = node.node
    if node.__class__ is not nodes.Name or node.name in _SPECIAL_NAMES:
        return None
    parts.append(node.name)
    return tuple(reversed(parts))


def _pure_plugin(loader, name, pure):
    """A listed filter or test that resolves to ansible-core's own plugin, or to Jinja's by its bare name."""
    short = name[len("ansible.builtin."):] if name.startswith("ansible.builtin.") else name
    if short not in pure:
        return False
    try:
        plugin = loader.get(name)
    except KeyError:  # not found: Jinja's environment falls back to its built-in, as here
        plugin = None
    except AnsibleError:  # a plugin that fails to load: ansible-core will say so
        return False
    if plugin is None:
        return short == name
    return getattr(plugin, "ansible_name", None) == f"ansible.builtin.{short}"


def pure_names(node, jinja_globals):
    """The sorted variable names a pure expression reads, or None when it is not shown pure."""
    names = set()
    for sub in (node, *node.find_all(nodes.Node)):
        kind = sub.__class__
        if kind is nodes.Name:
            if sub.ctx != "load" or sub.name in jinja_globals or sub.name in _SPECIAL_NAMES:
                return None
            names.add(sub.name)
        elif kind is nodes.Filter:
            if sub.node is None or not _pure_plugin(filter_loader, sub.name, PURE_FILTERS):
                return None
        elif kind is nodes.Test:
            if not _pure_plugin(test_loader, sub.name, PURE_TESTS):
                return None
        elif kind is nodes.Call:
            if sub.node.__class__ is not nodes.Getattr or sub.node.attr not in PURE_METHODS:
                return None
        elif kind not in _PURE_NODES:
            return None
    return tuple(sorted(names))


class _Plan:
    """What is known of one expression for the whole run."""

    __slots__ = ("memo", "names", "path", "source")

    def __init__(self, source, path=None, names=None):
        self.source, self.path, self.names, self.memo = source, path, names, {}


if _TemplateEngine is not None and hasattr(_TemplateEngine, "_compile_expression"):

    class _CompileOnceEngine(_TemplateEngine):
        """ansible-core's template engine, compiling each expression once per Jinja environment."""

        def _compile_expression(self, expression, options):
            memo = self.__dict__.setdefault("compiled_once", {})
            key = (str(expression), options.escape_backslashes, self.environment)
            compiled = memo.get(key)
            if compiled is None:
                compiled = super()._compile_expression(expression, options)
                if isinstance(compiled, _CompiledExpression):  # compile errors are deferred per call, not kept
                    memo[key] = compiled
            return compiled
else:  # pragma: no cover - another ansible-core layout
    _CompileOnceEngine = None


class ConstructedTemplar(Templar):
    """ansible-core's Templar, answering evaluate_expression and evaluate_conditional with less work."""

    def __init__(self, loader=None, variables=None):
        super().__init__(loader=loader, variables=variables)
        if _CompileOnceEngine is not None:
            self._engine = _CompileOnceEngine(loader=loader, variables=variables)
        self.reading_keys = False  # set while keyed_groups keys are evaluated
        self._plans = {}

    @property
    def compiles_once(self) -> bool:
        return isinstance(self._engine, _CompileOnceEngine) if _CompileOnceEngine else False

    def evaluate_expression(self, expression, *, local_variables=None, escape_backslashes=True):
        if local_variables is None and escape_backslashes:
            found = self._fast(expression, False)
            if found is not _CORE:
                return found
        return super().evaluate_expression(expression, local_variables=local_variables,
                                           escape_backslashes=escape_backslashes)

    def evaluate_conditional(self, conditional):
        found = self._fast(conditional, True) if isinstance(conditional, str) else _CORE
        return super().evaluate_conditional(conditional) if found is _CORE else found

    def _plan(self, expression, conditional):
        key = (id(expression), conditional)
        plan = self._plans.get(key)
        if plan is None or plan.source is not expression:
            plan = self._plans[key] = _Plan(expression, *self._analyse(expression, conditional))
        return plan

    def _analyse(self, expression, conditional):
        """(path, names) of a trusted expression that parses; (None, None) leaves it to ansible-core."""
        if not isinstance(expression, str) or not is_trusted_as_template(expression):
            return None, None
        text = expression.strip() if conditional else expression
        if not text or any(mark in text for mark in _TEMPLATE_MARKS):
            return None, None
        try:
            environment = self._engine.environment
            parser = Parser(environment, text, state="variable")
            node = parser.parse_expression()
            if not parser.stream.eos:
                return None, None
        except TemplateSyntaxError:  # ansible-core reports it, in its own words
            return None, None
        return path_of(node), pure_names(node, environment.globals)

    def _fast(self, expression, conditional):
        plan = self._plan(expression, conditional)
        variables = self.available_variables
        if plan.path is not None and (conditional or self.reading_keys):
            value = read_path(variables, plan.path)
            # A conditional must be a bool. A key names groups, and a key of any other type than these makes
            # ansible-core raise an error naming the type of its own (tagged) result.
            if value.__class__ is bool if conditional else value is None or value.__class__ in (str, list, dict):
                return value
        if plan.names is None:
            return _CORE
        try:
            key = tuple(frozen(variables.get(name, _MISSING)) for name in plan.names)
        except _NotPlain:
            return _CORE
        found = plan.memo.get(key, _CORE)
        if found is _CORE:
            core = super().evaluate_conditional if conditional else super().evaluate_expression
            found = core(expression)
            immutable = found.__class__ is bool if conditional else (
                found is None or isinstance(found, (str, int, float)))
            if immutable and len(plan.memo) < MEMO_LIMIT:
                plan.memo[key] = found
        return found


class FastConstructable(Constructable):
    """Constructable with ConstructedTemplar: ansible-core's methods, the same results, less Jinja per host."""

    constructed_fast_path = True  # False gives ansible-core's own Templar (comparisons and benchmarks)

    @functools.cached_property
    def templar(self) -> Templar:
        # ansible-core 2.17 and 2.18 assign their own Templar to self.templar instead, which wins over this
        fast = self.constructed_fast_path and is_trusted_as_template is not None
        return (ConstructedTemplar if fast else Templar)(loader=self.loader)

    def _read_config_data(self, path):
        """Each parse (each run) starts with a templar of its own: nothing compiled or kept from another."""
        self.__dict__.pop("templar", None)
        return super()._read_config_data(path)

    def _add_host_to_keyed_groups(self, keys, variables, host, strict=False, fetch_hostvars=True):
        templar = self.templar
        if not isinstance(templar, ConstructedTemplar):
            return super()._add_host_to_keyed_groups(keys, variables, host, strict, fetch_hostvars)
        templar.reading_keys = True
        try:
            return super()._add_host_to_keyed_groups(keys, variables, host, strict, fetch_hostvars)
        finally:
            templar.reading_keys = False
