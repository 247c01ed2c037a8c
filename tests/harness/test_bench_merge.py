"""`python -m bench --only ...` keeps the other benchmarks' figures from the results file, each dated by its run."""

from __future__ import annotations

import json

from bench.__main__ import _with_earlier_figures
from bench.report import _runs

EARLY = {"date (UTC)": "2026-12-01 01:00", "load average before the run": "0.50 0.40 0.30"}
LATE = {"date (UTC)": "2026-12-06 07:00", "load average before the run": "1.00 1.10 1.20"}


def _verdict(key):
    return {"benchmark": key[:2].upper(), "key": key, "target": "t", "met": True, "figure": "f"}


def test_a_partial_run_keeps_earlier_figures_and_dates_each_run(tmp_path):
    earlier = {"environment": EARLY, "b1": {"old": 1}, "b2_b3": {"old": 2}, "b4": {"old": 4},
               "verdicts": [_verdict(key) for key in ("b1_time", "b2_throughput", "b3_writes", "b4_floor")],
               "profiles": {"B1 search": "p1", "B3 re-run": "p3", "B4 parse": "p4"}}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(earlier))
    new = {"environment": LATE, "b4": {"new": 4}, "verdicts": [_verdict("b4_floor")], "profiles": {"B4 parse": "n4"}}
    merged = _with_earlier_figures(new, {"b4"}, path)
    assert (merged["b1"], merged["b2_b3"], merged["b4"]) == ({"old": 1}, {"old": 2}, {"new": 4})
    assert [v["key"] for v in merged["verdicts"]] == ["b1_time", "b2_throughput", "b3_writes", "b4_floor"]
    assert merged["profiles"] == {"B1 search": "p1", "B3 re-run": "p3", "B4 parse": "n4"}
    assert merged["runs"] == {"b1": EARLY, "b2": EARLY, "b4": LATE}


def test_a_full_run_or_no_earlier_file_keeps_nothing(tmp_path):
    new = {"environment": LATE, "b1": {}, "verdicts": [], "profiles": {}}
    assert _with_earlier_figures(new, {"b1", "b2", "b4"}, tmp_path / "missing.json")["runs"] == {
        "b1": LATE, "b2": LATE, "b4": LATE}
    assert "b2_b3" not in _with_earlier_figures(new, {"b1"}, tmp_path / "missing.json")


def test_the_report_dates_each_run_only_when_there_were_several():
    assert _runs({"b1": LATE, "b4": LATE}) == []
    table = "\n".join(_runs({"b1": EARLY, "b4": LATE}))
    assert "| B1 | 2026-12-01 01:00 | 0.50 0.40 0.30 |" in table
    assert "| B4 | 2026-12-06 07:00 | 1.00 1.10 1.20 |" in table
