"""B4's measuring child against the session's in-process simulator: floor B makes the plugin's inventory.

One round at 300 devices (seed 42, the specials included): the child checks that floor B and the plugin made the
same hosts, host variables and groups, and that the constructed configuration gave the same inventory through the
fast path and through ansible-core's own; the figures then go through the verdicts and the report as `make bench`
uses them. Timings are not asserted.
"""

from __future__ import annotations

from bench import inventory, report, verdicts
from tests.harness.sim_helpers import TOKEN


def test_floor_b_and_the_plugin_make_the_same_inventory_and_b4_reports(sim):
    result = inventory.run_child(sim.url, TOKEN, rounds=1, core_rounds=1, timeout=300)
    assert result["same_output"] == {"floor_b_vs_plugin": {"same": True}, "constructed_vs_core": {"same": True}}
    counts = result["counts"]
    assert counts["floor_b"] == counts["plugin"] and counts["constructed"] == counts["core_constructed"]
    estate = sim.sim.estate
    active = [row for row in estate.devices if not row["disabled"] and not row["ignore"]]
    assert result["devices"] == len(estate.devices) and result["hosts"] == len(active)
    assert result["constructed_groups"] > result["groups"] > 10
    assert all(value > 0 for value in result["best_s"].values())
    assert set(result["all_s"]["core_constructed"]) and len(result["all_s"]["plugin"]) == 1

    result.update(child_peak_rss_mb=100.0,
                  ansible_inventory_list={"wall_s": 2.0, "peak_rss_mb": 120.0, "output_bytes": 1},
                  ansible_inventory_list_constructed={"wall_s": 2.5, "peak_rss_mb": 125.0, "output_bytes": 1})
    found = verdicts.b4_verdicts(result)
    assert [verdict["key"] for verdict in found] == ["b4_floor", "b4_constructed", "b4_core_constructed",
                                                     "b4_memory"]
    assert found[2]["met"] and found[3]["met"]
    text = "\n".join(report._b4(result))
    assert "| floor B |" in text and "fast path off" in text and "the same inventory" in text
    assert "floor B" in inventory.report(result)
