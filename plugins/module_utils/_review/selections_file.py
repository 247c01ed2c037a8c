# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: the edited review report (CSV) as devices to import and per-device selections.

`parse_selections_csv` and `merge_selections` are pure; `read_selections_file` is the one file read. Every bad
cell of the file is reported at once, each naming the file, its line and its column.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import (
    LibrenmsSyncError,
    problems_error,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options
from ansible_collections.netbox_librenms.sync.plugins.module_utils._review.report import (
    COLUMNS,
    FORMULA_STARTS,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.filters import given_filters

_CHOICE_COLUMNS = ("name", "role", "rack", "cluster")
_IMPORT_AS = {"device": False, "vm": True}
_IMPORT = ("yes", "no")


def _unquote(value: str) -> str:
    """The cell as the person meant it: trimmed, without the apostrophe the report puts before a formula start."""
    value = value.strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS and value[1:2]:
        return value[1:]
    return value


def _delimiter(first_line: str) -> str:
    # Spreadsheets in locales with a decimal comma save "CSV" with semicolons.
    return ";" if ";" in first_line and "," not in first_line else ","


def _read_header(cells: List[str], where: Callable[[int, str], str]) -> Tuple[List[str], List[str]]:
    """(column names, problems) of the header line."""
    names = [cell.strip().lower() for cell in cells]
    problems = []
    seen = set()
    for name in names:
        if name not in COLUMNS:
            problems.append(f"{where(1, name)}: unknown column; the columns are {', '.join(COLUMNS)}")
        elif name in seen:
            problems.append(f"{where(1, name)}: the column appears twice")
        seen.add(name)
    if "librenms_id" not in names:
        problems.append(f"{where(1, 'librenms_id')}: the header has no librenms_id column")
    return names, problems


class _Rows:
    """The state of one parse: what was read so far and every problem found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.approved: List[int] = []
        self.selections: Dict[str, Dict[str, Any]] = {}
        self.hostnames: Dict[str, str] = {}
        self.lines: Dict[str, int] = {}
        self.problems: List[str] = []

    def where(self, line: int, column: str) -> str:
        return f"{self.source} line {line}, column {column}"

    def bad(self, line: int, column: str, what: str) -> None:
        self.problems.append(f"{self.where(line, column)}: {what}")

    def device_id(self, line: int, value: str) -> Optional[int]:
        if not value:
            self.bad(line, "librenms_id", "empty; every row needs the LibreNMS device id")
            return None
        if not (value.isascii() and value.isdigit()):
            self.bad(line, "librenms_id", f"{value!r} is not a LibreNMS device id (a whole number)")
            return None
        number = int(value)
        if str(number) in self.lines:
            self.bad(line, "librenms_id", f"device {number} is already on line {self.lines[str(number)]}")
            return None
        return number

    def add(self, line: int, row: Dict[str, str]) -> None:
        device_id = self.device_id(line, row.get("librenms_id", ""))
        import_as = row.get("import_as", "").lower()
        approval = row.get("import", "").lower()
        choice: Dict[str, Any] = {key: row[key] for key in _CHOICE_COLUMNS if row.get(key)}
        count = len(self.problems)
        name = choice.get("name", "")
        if name.startswith(FORMULA_STARTS):
            # The report escapes such a cell and this reader takes the escape off: refused, it never becomes a
            # NetBox name that a later CSV export would hand to a spreadsheet as a formula.
            self.bad(line, "name", f"{name[:80]!r} starts with {name[0]!r}, which a spreadsheet runs as a formula; "
                                   "a name from this file may not start with = + - or @: choose another name")
        if import_as and import_as not in _IMPORT_AS:
            self.bad(line, "import_as", f"{row['import_as']!r} is not device or vm")
        if approval and approval not in _IMPORT:
            self.bad(line, "import", f"{row['import']!r} is not yes, no or empty")
        if import_as in ("", "device") and "cluster" in choice:
            self.bad(line, "cluster", "a cluster is only used with import_as vm: set import_as to vm or clear it")
        if import_as == "vm" and "rack" in choice:
            self.bad(line, "rack", "a VM has no rack: clear the rack or set import_as to device")
        if device_id is None or len(self.problems) > count:
            return
        key = str(device_id)
        if import_as:
            choice["as_vm"] = _IMPORT_AS[import_as]
        self.lines[key] = line
        self.selections[key] = choice
        self.hostnames[key] = row.get("hostname", "").lower()
        if approval == "yes":
            self.approved.append(device_id)


def _read_rows(reader, header: List[str], rows: _Rows) -> int:
    """Every record after the header into `rows`; returns how many were not blank."""
    count = 0
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
            rows.bad(line, f"{len(header) + 1} (not in the header)",
                     f"{len(cells)} cells but the header has {len(header)} columns")
            continue
        rows.add(line, {name: _unquote(cell) for name, cell in zip(header, cells)})
    return count


def parse_selections_csv(text: str, source: str) -> Dict[str, Any]:
    """The approved device ids, the selections by id, the hostnames and line of each id, the row count.

    Read-only columns (hostname, status, site, ...) are ignored except hostname, which lets an explicit
    selections entry keyed by hostname replace the row. Raises one LibrenmsSyncError listing every problem.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    rows = _Rows(source)
    if not lines:
        raise LibrenmsSyncError(f"{source} is empty: it needs a header line with librenms_id and one line per device")
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=_delimiter(lines[0]))
    try:
        header, header_problems = _read_header(next(reader), rows.where)
        if header_problems:
            raise problems_error("", header_problems)
        count = _read_rows(reader, header, rows)
    except csv.Error as exc:
        raise LibrenmsSyncError(f"{source} line {reader.line_num} is not CSV: {exc}") from None
    if rows.problems:
        raise problems_error(f"{len(rows.problems)} problem(s) in {source}: ", rows.problems)
    return {"approved": rows.approved, "selections": rows.selections, "hostnames": rows.hostnames,
            "lines": rows.lines, "rows": count}


def _chooses_devices(params: Options) -> bool:
    return bool(params.get("devices") or params.get("all_devices") or given_filters(params.get("filters"))
                or params.get("from_job"))


def merge_selections(params: Options, parsed: Dict[str, Any], source: str
                     ) -> Tuple[Dict[str, Any], Dict[str, int]]:
    """(the import's parameters with the file's choices, the line of each choice taken from the file).

    Without devices, filters, all_devices or from_job, the devices are the rows approved with import=yes.
    An explicit selections entry (by id or hostname) replaces the file's row for that device.
    """
    explicit = params.get("selections") or {}
    explicit_keys = {str(key).strip().lower() for key in explicit}
    from_file = {key: choice for key, choice in parsed["selections"].items()
                 if key not in explicit_keys and (parsed["hostnames"].get(key) or key) not in explicit_keys}
    merged = dict(params, selections={**from_file, **explicit}, selections_file=None)
    lines = {key: parsed["lines"][key] for key in from_file}
    if _chooses_devices(params):
        return merged, lines
    if not parsed["approved"]:
        raise LibrenmsSyncError(f"selections_file {source} approves no device: set import to yes on the rows to "
                                "import, or give devices, filters or all_devices")
    merged["devices"] = list(parsed["approved"])
    return merged, lines


def read_selections_file(path: str) -> str:
    """The file's text (UTF-8, with or without the byte order mark spreadsheets write)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise LibrenmsSyncError(f"selections_file {path} does not exist") from None
    except IsADirectoryError:
        raise LibrenmsSyncError(f"selections_file {path} is a directory, not a CSV file") from None
    except OSError as exc:
        raise LibrenmsSyncError(f"selections_file {path} cannot be read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibrenmsSyncError(f"selections_file {path} is not UTF-8 text (byte {exc.start}): save it as "
                                "CSV UTF-8") from None


def _told_by_line(problem: str, lines: Dict[str, int], source: str) -> str:
    for key, line in lines.items():
        prefix = f"selections.{key}."
        if problem.startswith(prefix):
            column, rest = [*problem[len(prefix):].split(" ", 1), ""][:2]
            return f"{source} line {line}, column {column}: {rest}"
    return problem


def _with_file_lines(exc: LibrenmsSyncError, lines: Dict[str, int], source: str) -> LibrenmsSyncError:
    """The option problems about selections that came from the file, told by file line and column."""
    problems = exc.details.get("problems")
    if not problems:
        return exc
    told = [_told_by_line(problem, lines, source) for problem in problems]
    error = problems_error("Invalid options: ", told)
    error.details = dict(exc.details, **error.details)
    return error


def run_with_selections_file(params: Options, run: Callable[[Dict[str, Any]], Dict[str, Any]]
                             ) -> Dict[str, Any]:
    """run(params) with selections_file read into devices and selections; its problems named by line."""
    path = params.get("selections_file")
    if not path:
        return run(params)
    parsed = parse_selections_csv(read_selections_file(path), path)
    merged, lines = merge_selections(params, parsed, path)
    try:
        result = run(merged)
    except LibrenmsSyncError as exc:
        raise _with_file_lines(exc, lines, path) from None
    result["selections_file"] = {"path": path, "rows": parsed["rows"], "approved": len(parsed["approved"])}
    return result
