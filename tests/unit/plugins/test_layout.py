# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The library's layout, read from its source: imports run one way, no cycle, no oversized file or function.

The layers, top to bottom (README "Layout"): modules and the inventory plugin; the entry helpers
(_ansible_module, _options, the _job_functions re-export) and plugin_utils; _jobs; _pipeline and _review;
_rules; _sources; _common. A file may import from a lower layer and from its own package, never from a higher
layer or a sibling package of its own layer.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"
PREFIX = "ansible_collections.netbox_librenms.sync.plugins."
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50

PACKAGE_RANKS = {"_common": 1, "_sources": 2, "_rules": 3, "_pipeline": 4, "_review": 4, "_jobs": 5}
ENTRY_RANK = 6
PLUGIN_RANK = 7


def unit_of(module: str) -> Tuple[str, int]:
    """(package, rank) of a dotted name below `plugins.`: the unit whose imports the rules constrain."""
    parts = module.split(".")
    if parts[0] == "module_utils" and len(parts) > 2:
        return parts[1], PACKAGE_RANKS[parts[1]]
    if parts[0] in ("module_utils", "plugin_utils"):
        return module, ENTRY_RANK
    return module, PLUGIN_RANK


def source_files() -> Dict[str, Path]:
    found = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        relative = path.relative_to(PLUGINS).with_suffix("")
        if relative.parts[0] in ("module_utils", "plugin_utils", "modules", "inventory"):
            found[".".join(relative.parts)] = path
    return found


def imports_of(path: Path) -> Set[str]:
    """Every collection-internal module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            base = node.module[len(PREFIX):]
            names.add(base)
            # `from ...module_utils._jobs import queue` imports the module queue.
            names.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in FILES)
        elif isinstance(node, ast.Import):
            names.update(alias.name[len(PREFIX):] for alias in node.names if alias.name.startswith(PREFIX))
    return {name for name in names if name in FILES}


FILES = source_files()
GRAPH = {name: imports_of(path) for name, path in FILES.items()}


def test_the_layout_is_what_the_readme_lists():
    packages = {name.split(".")[1] for name in FILES if name.startswith("module_utils.") and name.count(".") == 2}
    assert packages == set(PACKAGE_RANKS)


def upward_imports(graph: Dict[str, Set[str]]) -> List[str]:
    wrong = []
    for importer, imported in sorted((a, b) for a, targets in graph.items() for b in targets):
        (package, rank), (target_package, target_rank) = unit_of(importer), unit_of(imported)
        if package != target_package and target_rank >= rank:
            wrong.append(f"{importer} -> {imported}")
    return wrong


def find_cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    cycles: List[List[str]] = []
    state: Dict[str, int] = {}  # 1 while on the current path, 2 once every path from it is explored

    def visit(name: str, path: List[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_imports_point_down_or_within_their_package():
    assert upward_imports(GRAPH) == []


def test_no_import_cycle():
    assert find_cycles(GRAPH) == []


def test_the_checks_catch_what_they_are_for():
    assert upward_imports({"module_utils._rules.existing": {"module_utils._pipeline.plan"}}) == [
        "module_utils._rules.existing -> module_utils._pipeline.plan"]
    assert upward_imports({"module_utils._review.report": {"module_utils._pipeline.search_run"}}) != []
    assert upward_imports({"module_utils._jobs.queue": {"plugin_utils._inventory_hosts"}}) != []
    downward = {"module_utils._jobs.worker": {"module_utils._jobs.runs", "module_utils._common.errors"}}
    assert upward_imports(downward) == []
    cyclic = {"module_utils._jobs.queue": {"module_utils._jobs.worker"},
              "module_utils._jobs.worker": {"module_utils._jobs.dispatch"},
              "module_utils._jobs.dispatch": {"module_utils._jobs.queue"}}
    assert find_cycles(cyclic) == [["module_utils._jobs.dispatch", "module_utils._jobs.queue",
                                    "module_utils._jobs.worker", "module_utils._jobs.dispatch"]]


LIBRARY = {name: path for name, path in FILES.items() if name.startswith(("module_utils.", "plugin_utils."))}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_library_files_stay_small(name):
    source = LIBRARY[name].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_FILE_LINES
    long_functions = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long_functions == []


def readme_layout_rows() -> List[Tuple[str, List[str]]]:
    """(package, files) of each row of the README's module_utils table, in order."""
    readme = (PLUGINS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Layout", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (cells[0] == "top level" or cells[0].startswith("`_")):
            rows.append((cells[0].strip("`/"), cells[2].split("`")[1::2]))
    return rows


def test_the_readme_layout_table_matches_the_tree():
    rows = readme_layout_rows()
    packages = [package for package, _files in rows if package != "top level"]
    assert sorted(packages) == sorted(PACKAGE_RANKS)
    ranks = [PACKAGE_RANKS[package] for package in packages]
    assert ranks == sorted(ranks, reverse=True), "the table lists the packages top (jobs) to bottom (common)"
    for package, files in rows:
        folder = PLUGINS / "module_utils" / ("" if package == "top level" else package)
        assert sorted(files) == sorted(path.stem for path in folder.glob("*.py")), package
