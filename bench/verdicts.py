"""Where each figure stands against its target (pure: results in, verdicts out)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

B1_TIME_RATIO = 1.5
B1_LEAN_RATIO = 1.5
B2_THROUGHPUT_RATIO = 0.9
B2_SEQUENTIAL_RATIO = 1.3
B5_WORKERS_RATIO = 1.5
B5_SATURATED_RATIO = 0.9
B3_LOOP_RATIO = 20
B4_FLOOR_RATIO = 1.10
B4_CONSTRUCTED_RATIO = 2.5
B4_PEAK_MB = 250
B6_THROUGHPUT_RATIO = 0.9
B6_LOOP_RATIO = 20
B6_RERUN_SHARE = 0.10


def _verdict(benchmark: str, target: str, met: bool, figure: str, key: str) -> Dict[str, Any]:
    return {"benchmark": benchmark, "key": key, "target": target, "met": bool(met), "figure": figure}


def b1_verdicts(b1: Dict[str, Any]) -> List[Dict[str, Any]]:
    sizes = b1["sizes"]
    out = []
    netbox = {size: (v["vc_detection_off"]["library"]["netbox_requests"], v["vc_detection_on"]["library"]
                     ["netbox_requests"], v["vc_detection_off"]["playbook"]["netbox_requests"]) for size, v in
              sizes.items()}
    out.append(_verdict("B1", "NetBox requests constant in the number of devices",
                        len(set(netbox.values())) == 1,
                        "; ".join(f"{size} devices: {counts[0]}" for size, counts in netbox.items()), "b1_netbox"))
    librenms = []
    met = True
    for size, variant in sizes.items():
        on = variant["vc_detection_on"]["library"]["librenms_requests"]
        candidates = variant["vc_detection_on"]["playbook"]["summary"]["total"]
        met &= (on.get("list_devices") == 1 and on.get("inventory_all", 0) == candidates
                and on["total"] == 1 + candidates)
        librenms.append(f"{size} devices: {on.get('list_devices')} list + {on.get('inventory_all', 0)} inventory "
                        f"for {candidates} candidates")
    out.append(_verdict("B1", "LibreNMS requests with detection on: 1 list call + 1 inventory call per device",
                        met, "; ".join(librenms), "b1_librenms"))
    ratios = {size: v["vc_detection_off"]["library"]["seconds"] / v["raw"]["seconds"] for size, v in sizes.items()}
    end_to_end = {size: v["vc_detection_off"]["playbook"]["wall_s"] / v["raw"]["process_wall_s"]
                  for size, v in sizes.items()}
    out.append(_verdict(
        "B1", f"time with detection off <= {B1_TIME_RATIO} x the raw floor",
        all(ratio <= B1_TIME_RATIO for ratio in ratios.values()),
        "; ".join(f"{size} devices: library {ratios[size]:.2f} x, ansible-playbook {end_to_end[size]:.2f} x"
                  for size in sizes), "b1_time"))
    if "lean" in b1:
        out.append(b1_lean_verdict(b1["lean"]))
    return out


def b1_lean_verdict(lean: Dict[str, Any]) -> Dict[str, Any]:
    """The lean result's task time against the library alone, best rounds (median given too)."""
    best, ratio, median = lean["best_s"], lean["ratio_best"], lean["ratio_median"]
    options = lean["options"]
    return _verdict(
        "B1", f"task with the lean result <= {B1_LEAN_RATIO} x the library alone, {lean['devices']} devices, "
              "detection off",
        ratio["lean"] <= B1_LEAN_RATIO,
        f"{ratio['lean']:.2f} x best round (task {best['lean']:.2f} s against {best['library']:.2f} s), median "
        f"{median['lean']:.2f} x; return_devices {options['return_devices']}, result_fields "
        f"{', '.join(options['result_fields'])}: {lean['rows']['lean']} of {lean['rows']['full']} rows. Full "
        f"result in the same rounds: {ratio['full']:.2f} x best (task {best['full']:.2f} s), median "
        f"{median['full']:.2f} x; an ansible.builtin.ping task: {best['ping']:.2f} s", "b1_lean")


def b2_b3_verdicts(b2: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Task times (the task alone in its playbook; the floor's bulk create timed inside its script), with the
    whole processes (Ansible's or Python's start-up included) given too."""
    imported, floor, loop = b2["import"], b2["raw_bulk_create"], b2["netbox_device_loop"]
    throughput = floor["seconds"] / imported["task_s"]
    whole = floor["process_wall_s"] / imported["wall_s"]
    median = b2["floor_s"]["median"] / b2["import_task_s"]["median"]
    out = [_verdict(
        "B2", f"import throughput >= {B2_THROUGHPUT_RATIO} x the raw bulk create at the same concurrency "
              f"({b2['write_concurrency']})",
        throughput >= B2_THROUGHPUT_RATIO,
        f"{throughput:.2f} x best of {b2['rounds']} alternated rounds (task {imported['task_s']:.1f} s against "
        f"{floor['seconds']:.1f} s), median {median:.2f} x; whole processes {whole:.2f} x ({imported['wall_s']:.1f} s "
        f"against {floor['process_wall_s']:.1f} s); {loop['task_s'] / imported['task_s']:.1f} x faster than the "
        "netbox.netbox loop", "b2_throughput"), b2_sequential_verdict(b2)]
    rerun, loop_rerun = b2["rerun"], b2["netbox_device_loop_rerun"]
    out.append(_verdict("B3", "re-run writes nothing (0 change-log entries)", rerun["change_log_entries"] == 0,
                        f"{rerun['change_log_entries']} entries, {rerun['netbox_writes']} NetBox writes", "b3_writes"))
    search, library = b2["search_same_estate"]["vc_detection_off"], b2["library_same_estate"]
    out.append(_verdict("B3", "re-run no slower than B1 (search, detection off) over the same estate",
                        rerun["task_s"] <= search["task_s"],
                        f"task: re-run {rerun['task_s']:.1f} s, search {search['task_s']:.1f} s; whole playbooks "
                        f"{rerun['wall_s']:.1f} s and {search['wall_s']:.1f} s; library alone "
                        f"{library['rerun_s']:.2f} s and {library['search_detection_off_s']:.2f} s", "b3_search"))
    ratio = loop_rerun["task_s"] / rerun["task_s"]
    out.append(_verdict("B3", f"re-run >= {B3_LOOP_RATIO} x faster than the netbox.netbox loop's re-run",
                        ratio >= B3_LOOP_RATIO,
                        f"{ratio:.1f} x (task {rerun['task_s']:.1f} s against {loop_rerun['task_s']:.1f} s); whole "
                        f"playbooks {loop_rerun['wall_s'] / rerun['wall_s']:.1f} x", "b3_loop"))
    return out


def curve_points(b2: Dict[str, Any]) -> Dict[int, float]:
    """Concurrency -> best seconds of the raw bulk create (B2's floor curve)."""
    return {int(level): found["seconds"]["best"] for level, found in b2["floor_curve"].items()}


def b2_sequential_verdict(b2: Dict[str, Any]) -> Dict[str, Any]:
    """The import at its default concurrency against the raw sequential create, or, when NetBox cannot go that much
    faster on this machine (its own curve says so), against the curve's best point."""
    points = curve_points(b2)
    sequential, best_level = points[1], min(points, key=points.get)
    imported = b2["import"]["task_s"]
    gain = sequential / points[best_level]
    target = (f"import at its default write_concurrency >= {B2_SEQUENTIAL_RATIO} x the raw sequential bulk create "
              f"(>= {B2_THROUGHPUT_RATIO} x the curve's best point when NetBox saturates first)")
    curve = ", ".join(f"{level}: {seconds:.1f} s" for level, seconds in sorted(points.items()))
    if gain >= B2_SEQUENTIAL_RATIO:
        met, verdict = sequential / imported >= B2_SEQUENTIAL_RATIO, f"{sequential / imported:.2f} x sequential"
    else:
        met = points[best_level] / imported >= B2_THROUGHPUT_RATIO
        verdict = (f"NetBox saturates first (its best point, concurrency {best_level}, is {gain:.2f} x sequential): "
                   f"{points[best_level] / imported:.2f} x the best point")
    return _verdict("B2", target, met, f"{verdict}; import {imported:.1f} s; raw curve by concurrency: {curve}",
                    "b2_sequential")


def saturation(cpu: Optional[Dict[str, Any]]) -> str:
    """What the CPU figures of a run (bench.cpu) say of NetBox's saturation, or nothing for a run without them."""
    if not cpu:
        return ""
    roles = cpu["seconds_by_role"]
    server = roles.get("netbox", 0) + roles.get("postgresql", 0)
    return (f"; the {cpu['cores']} cores {cpu['busy_share']:.0%} busy, NetBox and PostgreSQL "
            f"{server / max(sum(roles.values()), 1e-9):.0%} of the CPU time")


def b5_verdict(b5: Dict[str, Any]) -> Dict[str, Any]:
    one, two = b5["runs"]["1"], b5["runs"]["2"]
    speedup = one["seconds"] / two["seconds"]
    raw = b5["best_raw"]["devices_per_s"]
    share = two["devices_per_s"] / raw
    which = ("2 workers are faster by the target" if speedup >= B5_WORKERS_RATIO else
             "NetBox saturates first, and 2 workers are within 10 % of its best raw throughput"
             if share >= B5_SATURATED_RATIO else "neither")
    target = (f"2 workers >= {B5_WORKERS_RATIO} x 1 worker, or (NetBox saturating first) within 10 % of the best raw "
              "concurrent throughput")
    figure = (f"{which}: {speedup:.2f} x ({one['seconds']:.1f} s against {two['seconds']:.1f} s for {b5['devices']} "
              f"devices); 2 workers {two['devices_per_s']:.1f} devices/s = {share:.2f} x the best raw bulk create "
              f"({raw:.1f} devices/s at concurrency {b5['best_raw']['concurrency']})" + saturation(two.get("cpu")))
    return _verdict("B5", target, speedup >= B5_WORKERS_RATIO or share >= B5_SATURATED_RATIO, figure, "b5_workers")


def _ratio(b4: Dict[str, Any], key: str, top: str, bottom: str) -> str:
    ratio = b4["ratios"][key]
    return (f"{ratio['best']:.2f} x best rounds ({b4['best_s'][top]:.3f} s against {b4['best_s'][bottom]:.3f} s), "
            f"median {ratio['median']:.2f} x")


def b4_verdicts(b4: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Issue 16's targets: the plugin against floor B, constructed options against the plain parse, and memory."""
    plain, constructed = b4["ansible_inventory_list"], b4["ansible_inventory_list_constructed"]
    peak = max(plain["peak_rss_mb"], constructed["peak_rss_mb"])
    ratios = b4["ratios"]
    same = b4["same_output"]
    load = b4["load_average"]
    load_note = f"; load average {load['before'][0]:.2f} before, {load['after'][0]:.2f} after"
    return [
        _verdict("B4", f"plugin parse <= {B4_FLOOR_RATIO:.2f} x floor B (a minimal plugin, same output)",
                 ratios["plugin_vs_floor_b"]["best"] <= B4_FLOOR_RATIO and same["floor_b_vs_plugin"]["same"],
                 _ratio(b4, "plugin_vs_floor_b", "plugin", "floor_b") + load_note
                 + ("" if same["floor_b_vs_plugin"]["same"] else "; floor B's output DIFFERS"), "b4_floor"),
        _verdict("B4", f"one compose, keyed_groups and groups entry <= {B4_CONSTRUCTED_RATIO} x the plain parse",
                 ratios["constructed_vs_plugin"]["best"] <= B4_CONSTRUCTED_RATIO,
                 _ratio(b4, "constructed_vs_plugin", "constructed", "plugin"), "b4_constructed"),
        _verdict("B4", "constructed parse faster than through ansible-core's own constructed path, same output",
                 ratios["core_constructed_vs_constructed"]["best"] > 1 and same["constructed_vs_core"]["same"],
                 f"ansible-core's path {ratios['core_constructed_vs_constructed']['best']:.1f} x slower "
                 f"({ratios['core_constructed_vs_plugin']['best']:.2f} x the plain parse, best of "
                 f"{b4['core_rounds']} rounds)"
                 + ("" if same["constructed_vs_core"]["same"] else "; the outputs DIFFER"), "b4_core_constructed"),
        _verdict("B4", f"peak memory < {B4_PEAK_MB} MB at {b4['devices']} devices", peak < B4_PEAK_MB,
                 f"ansible-inventory --list {plain['peak_rss_mb']:.0f} MB plain, {constructed['peak_rss_mb']:.0f} MB "
                 f"constructed (process tree); the measuring child, every contender in one process, "
                 f"{b4['child_peak_rss_mb']:.0f} MB", "b4_memory"),
    ]


def b6_verdicts(b6: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Issue 13's targets."""
    floor, loop, sync = b6["raw_bulk_create"], b6["netbox_loop"], b6["sync"]
    objects = sum(floor["written"].values())
    run, rerun = sync["run"], sync["rerun"]
    throughput = floor["seconds"] / run["task_s"]
    per_object = run["task_s"] / max(1, objects)
    share = rerun["task_s"] / run["task_s"]
    return [
        _verdict("B6", f"sync throughput >= {B6_THROUGHPUT_RATIO} x the raw bulk create",
                 throughput >= B6_THROUGHPUT_RATIO,
                 f"{throughput:.2f} x (task {run['task_s']:.1f} s against {floor['seconds']:.1f} s, {objects} objects)",
                 "b6_throughput"),
        _verdict("B6", f"sync >= {B6_LOOP_RATIO} x faster per object than the netbox.netbox loop",
                 loop["per_object_s"] / per_object >= B6_LOOP_RATIO,
                 f"{loop['per_object_s'] / per_object:.0f} x ({per_object * 1000:.1f} ms against "
                 f"{loop['per_object_s'] * 1000:.0f} ms per object)", "b6_loop"),
        _verdict("B6", f"re-run writes nothing, <= {B6_RERUN_SHARE:.0%} of the run's time",
                 rerun["change_log_entries"] == 0 and share <= B6_RERUN_SHARE,
                 f"{rerun['change_log_entries']} change-log entries, {share:.0%} ({rerun['task_s']:.1f} s against "
                 f"{run['task_s']:.1f} s)", "b6_rerun"),
    ]


def all_verdicts(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    if "b1" in results:
        out += b1_verdicts(results["b1"])
    if "b2_b3" in results:
        out += b2_b3_verdicts(results["b2_b3"])
    if "b4" in results:
        out += b4_verdicts(results["b4"])
    if "b5" in results:
        out.append(b5_verdict(results["b5"]))
    if "b6" in results:
        out += b6_verdicts(results["b6"])
    return out
