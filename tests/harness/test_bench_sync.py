"""B6's pure parts: the netbox.netbox loop's sample, the verdicts and the report, from synthetic results."""

from __future__ import annotations

from bench import report, sync_data, verdicts

FLOOR = {"seconds": 50.0, "process_wall_s": 52.0, "peak_rss_mb": 40.0, "netbox_requests": 12,
         "change_log_entries": 1000, "written": {"interfaces": 600, "macs": 300, "ips": 100},
         "seconds_by_kind": {"interfaces": 30.0, "macs": 15.0, "ips": 5.0}}
FLOOR = dict(FLOOR, runs=[FLOOR, dict(FLOOR, seconds=54.0)], best_and_median={"best": 50.0, "median": 52.0})
LOOP = {"wall_s": 300.0, "task_s": 280.0, "peak_rss_mb": 150.0, "objects": 200, "changed_tasks": 200,
        "per_object_s": 1.4, "change_log_entries": 210}


def b6(sync):
    return {"estate_devices": 300, "front_ports": 40, "imported_devices": 250, "linked_devices": 260,
            "objects": {"interfaces": 600, "macs": 300, "ips": 100, "primary": 0, "cables": 0},
            "batch_size": 100, "write_concurrency": 1, "rounds": 2, "sync": sync, "raw_bulk_create": FLOOR,
            "netbox_loop": LOOP}


def run(task_s, changes):
    return {"wall_s": task_s + 2, "task_s": task_s, "peak_rss_mb": 90.0, "change_log_entries": changes,
            "api_calls": {"netbox": 40}}


def sync(task_s, rerun_s, rerun_changes):
    """Two alternated rounds: the second sync 10% slower; the best one decides."""
    runs = [run(task_s, 1000), run(task_s * 1.1, 1000)]
    return {"run": runs[0], "rerun": run(rerun_s, rerun_changes), "runs": runs,
            "task_s": {"best": task_s, "median": task_s * 1.05}}


def test_with_a_sync_the_ratios_decide():
    good = verdicts.b6_verdicts(b6(sync(50.0, 4.0, 0)))
    assert all(v["met"] for v in good), good
    slow = verdicts.b6_verdicts(b6(sync(60.0, 9.0, 3)))
    assert [v["met"] for v in slow] == [False, True, False]
    text = "\n".join(report._b6(b6(sync(60.0, 9.0, 3))))
    assert "`librenms_device_sync` re-run | 11.00 | 9.00" in text
    assert "Rounds, in order: sync 60.0 s, 66.0 s (median 63.0 s), floor 50.0 s, 54.0 s (median 52.0 s)." in text


def test_the_loop_sample_takes_cable_and_address_ends_first():
    interfaces = [{"device": d, "name": f"e{n}", "type": "1000base-t", "speed": None, "mtu": 1500,
                   "description": "", "enabled": True, "custom_fields": {}} for d in (1, 2) for n in range(50)]
    objects = {"interfaces": interfaces, "ips": [{"device": 2, "interface": "e40", "address": "10.0.0.1/24"}],
               "cables": [{"a": [1, "e30"], "b": [2, "e31"]}], "macs": [], "primary": []}
    sample = sync_data.loop_sample(objects, {1: "sw1", 2: "sw2"}, 21)
    assert sample["objects"] == 21 and len(sample["cables"]) == 1 and len(sample["ips"]) == 1
    names = {(i["device"], i["name"]) for i in sample["interfaces"]}
    assert {("sw1", "e30"), ("sw2", "e31"), ("sw2", "e40")} <= names
    assert all("speed" not in i for i in sample["interfaces"])  # None fields are left to the module's default
    assert sample["cables"][0]["termination_a"] == {"device": "sw1", "name": "e30"}


def test_one_round_says_so_and_why():
    text = "\n".join(report._b6(dict(b6(sync(600.0, 30.0, 0)), rounds=1)))
    assert "One round each, the sync first (each took about 5 minutes here" in text
