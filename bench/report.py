"""bench/results.json and BENCHMARKS.md from the results of one run (the Markdown is generated, never edited)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

from bench.verdicts import saturation


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _s(value: float) -> str:
    return f"{value:.2f}"


def _librenms(counts: Dict[str, int]) -> str:
    parts = [f"{key} {value}" for key, value in counts.items() if key != "total"]
    return f"{counts['total']} ({', '.join(parts)})" if parts else str(counts["total"])


def _environment(results: Dict[str, Any]) -> List[str]:
    env = results["environment"]
    return [
        "## Machine and versions",
        "",
        _row("what", "value"), _row("---", "---"),
        *[_row(key, value) for key, value in env.items()],
        "",
        f"Command: `{results['command']}` (sizes: {results['sizes_name']}); the whole run took "
        f"{results['total_s']:.0f} s. Ansible's fixed cost, a playbook running one `ansible.builtin.ping` task: "
        f"{results['ansible_ping']['wall_s']:.2f} s, {results['ansible_ping']['peak_rss_mb']:.0f} MB.",
        "",
        *_runs(results.get("runs", {})),
    ]


def _runs(runs: Dict[str, Any]) -> List[str]:
    """When the benchmarks come from more than one run (`--only`), when each was measured."""
    if len({json.dumps(run, sort_keys=True) for run in runs.values()}) < 2:
        return []
    lines = ["Measured in separate runs:", "", _row("bench", "date (UTC)", "load average before the run"),
             _row("---", "---", "---")]
    lines += [_row(name.upper(), run["date (UTC)"], run["load average before the run"]) for name, run in runs.items()]
    return [*lines, ""]


def _verdicts(verdicts: List[Dict[str, Any]]) -> List[str]:
    lines = ["## Targets", "", _row("bench", "target", "measured", "verdict"), _row("---", "---", "---", "---")]
    lines += [_row(v["benchmark"], v["target"], v["figure"], "met" if v["met"] else "**missed**") for v in verdicts]
    return [*lines, ""]


def _b1(b1: Dict[str, Any]) -> List[str]:
    lines = [
        "## B1 search: `librenms_device_filter`, all devices, 10 % stacks",
        "",
        "ansible-playbook: the playbook timed as a whole (Ansible's start-up included), peak RSS of its process "
        "tree. library: `run_search` alone in a child process, timed around the call, as the raw floor is "
        "(one `GET /api/v0/devices` + `json.loads`, then the same NetBox lists with pynetbox); library and raw "
        "floor: best of 3 runs, each in a fresh process.",
        "",
        _row("devices", "run", "wall s", "task s", "NetBox requests", "LibreNMS requests", "peak RSS MB", "x raw"),
        _row(*["---"] * 8),
    ]
    notes = []
    for size, variant in b1["sizes"].items():
        raw = variant["raw"]
        lines.append(_row(size, "raw floor", _s(raw["seconds"]), "-", raw["netbox_requests"],
                          _librenms(raw["librenms_requests"]), f"{raw['peak_rss_mb']:.0f}", "1.00"))
        for key, label in (("vc_detection_off", "detection off"), ("vc_detection_on", "detection on")):
            for layer, name in (("library", "library"), ("playbook", "ansible-playbook")):
                run = variant[key][layer]
                seconds = run["seconds"] if layer == "library" else run["wall_s"]
                floor = raw["seconds"] if layer == "library" else raw["process_wall_s"]
                task = _s(run["task_s"]) if layer == "playbook" else "-"
                lines.append(_row(size, f"{label}, {name}", _s(seconds), task, run["netbox_requests"],
                                  _librenms(run["librenms_requests"]), f"{run['peak_rss_mb']:.0f}",
                                  _s(seconds / floor)))
        notes.append(f"{size} devices: {raw['process_wall_s']:.2f} s")
    lines += ["", "task s: the task alone, between two timestamps of its playbook. The `x raw` of the "
              "ansible-playbook rows compares their whole playbook with the raw floor's whole process: "
              + "; ".join(notes) + ".", ""]
    return lines + (_b1_lean(b1["lean"]) if "lean" in b1 else [])


def _b1_lean(lean: Dict[str, Any]) -> List[str]:
    options = lean["options"]
    best, median = lean["best_s"], lean["median_s"]
    lines = [
        f"### B1 lean result: {lean['devices']} devices, detection off",
        "",
        f"`return_devices: {options['return_devices']}`, `result_fields: [{', '.join(options['result_fields'])}]` "
        "(the rows a following import takes, with the keys it reads) against the full result and `run_search` "
        f"alone. {lean['rounds']} rounds of these runs and an `ansible.builtin.ping` task (Ansible's own cost of "
        "one task, which no result shape removes), each round in another order; the playbooks' task times "
        "(between two timestamps of the playbook), the library's call time (in a child process).",
        "",
        _row("run", "rows returned", "best s", "median s", "x library, best", "x library, median",
             "peak RSS MB"),
        _row(*["---"] * 7),
        _row("library alone (`run_search`)", f"- ({lean['rows']['library']} computed)", _s(best["library"]),
             _s(median["library"]), "1.00", "1.00", "-"),
    ]
    for run, label in (("full", "full result, task"), ("lean", "lean result, task"),
                       ("ping", "`ansible.builtin.ping`, task")):
        lines.append(_row(label, lean["rows"].get(run, "-"), _s(best[run]), _s(median[run]),
                          _s(lean["ratio_best"][run]), _s(lean["ratio_median"][run]),
                          f"{lean['peak_rss_mb'][run]:.0f}"))
    return [*lines, ""]


def _b2(b2: Dict[str, Any]) -> List[str]:
    count = b2["devices"]
    runs = [
        ("raw pynetbox bulk create (floor), whole script", b2["raw_bulk_create"]["process_wall_s"],
         b2["raw_bulk_create"]),
        ("`librenms_device_import` (ansible-playbook)", b2["import"]["wall_s"], b2["import"]),
        ("`netbox.netbox.netbox_device` loop (ansible-playbook)", b2["netbox_device_loop"]["wall_s"],
         b2["netbox_device_loop"]),
        ("B3: `librenms_device_import` re-run", b2["rerun"]["wall_s"], b2["rerun"]),
        ("B3: `netbox_device` loop re-run", b2["netbox_device_loop_rerun"]["wall_s"], b2["netbox_device_loop_rerun"]),
    ]
    lines = [
        f"## B2 import and B3 re-run: {count} new devices",
        "",
        f"The first {count} devices a search of a {b2['estate_devices']}-device estate finds ready that are neither "
        "stacks nor VMs (so all three write the same objects). The floor and the loop write what the import wrote, "
        "read back from NetBox, under the same names (deleted between runs). Bulk writes in batches of "
        f"{b2['batch_size']}.",
        "",
        _row("run", "wall s", "task s", "devices/s (task)", "change-log entries", "NetBox requests", "peak RSS MB"),
        _row(*["---"] * 7),
    ]
    for label, seconds, run in runs:
        task = run.get("task_s", run.get("seconds"))
        lines.append(_row(label, _s(seconds), _s(task), f"{count / task:.1f}", run["change_log_entries"],
                          run.get("netbox_requests", "-"), f"{run['peak_rss_mb']:.0f}"))
    floor, imported = b2["raw_bulk_create"]["seconds"], b2["import"]["task_s"]
    loop, loop_rerun, rerun = (b2[key]["task_s"] for key in ("netbox_device_loop", "netbox_device_loop_rerun", "rerun"))
    search = b2["search_same_estate"]
    lines += [
        "",
        "task s: the task alone, between two timestamps of its playbook; for the floor, the bulk create timed "
        "inside its script.",
        "",
        f"Ratios of task times: import throughput / floor {floor / imported:.2f}; import {loop / imported:.1f} x "
        f"faster than the loop; re-run {loop_rerun / rerun:.1f} x faster than the loop's re-run. "
        f"The search of the same estate (B1 for these devices), task: detection off "
        f"{search['vc_detection_off']['task_s']:.2f} s, on {search['vc_detection_on']['task_s']:.2f} s. Without "
        f"Ansible (the library alone, in a child process): re-run {b2['library_same_estate']['rerun_s']:.2f} s, "
        f"search with detection off {b2['library_same_estate']['search_detection_off_s']:.2f} s.",
        "",
        # figures kept from a run before B2 alternated (bench --only) have no rounds to show
        *(_b2_rounds(b2) if "rounds" in b2 else []),
    ]
    return lines


def _b2_rounds(b2: Dict[str, Any]) -> List[str]:
    """The alternated rounds (import, floor at the import's write concurrency), then the floor's curve."""
    count = b2["devices"]
    lines = [
        f"### B2 in alternation: {b2['rounds']} rounds of import then floor (write concurrency "
        f"{b2['write_concurrency']} for both)",
        "",
        _row("round", "import task s", "floor s", "floor / import"),
        _row(*["---"] * 4),
    ]
    for number, (imported, floor) in enumerate(zip(b2["import_rounds"], b2["floor_rounds"]), 1):
        lines.append(_row(number, _s(imported["task_s"]), _s(floor["seconds"]),
                          _s(floor["seconds"] / imported["task_s"])))
    lines += [
        _row("best", _s(b2["import_task_s"]["best"]), _s(b2["floor_s"]["best"]),
             _s(b2["floor_s"]["best"] / b2["import_task_s"]["best"])),
        _row("median", _s(b2["import_task_s"]["median"]), _s(b2["floor_s"]["median"]),
             _s(b2["floor_s"]["median"] / b2["import_task_s"]["median"])),
        "",
        f"### The floor's curve: raw pynetbox bulk create of the same {count} devices, N batches at once",
        "",
        _row("concurrency", "best s", "median s", "devices/s (best)", "x sequential", "batches refused (deadlock)"),
        _row(*["---"] * 6),
    ]
    sequential = b2["floor_curve"]["1"]["seconds"]["best"]
    for level, found in sorted(b2["floor_curve"].items(), key=lambda item: int(item[0])):
        best = found["seconds"]["best"]
        refused = sum(run.get("deadlocks", 0) for run in found["runs"])
        lines.append(_row(level, _s(best), _s(found["seconds"]["median"]), f"{count / best:.1f}",
                          _s(sequential / best), f"{refused} in {len(found['runs'])} runs"))
    return [*lines, "", "A batch PostgreSQL refused for a deadlock on NetBox's device-type counters is sent again, as "
                        "the library does; its time counts.", "", *_cpu_lines(
                            [(f"{kind}, round {number}", run.get("cpu")) for kind in ("import", "floor")
                             for number, run in enumerate(b2[f"{kind}_rounds"], 1)])]


def _cpu_lines(runs: List[tuple]) -> List[str]:
    """CPU seconds by role over each run, and the share of all cores that was busy (bench.cpu)."""
    measured = [(label, cpu) for label, cpu in runs if cpu]
    if not measured:
        return []
    lines = [f"CPU seconds by process over each run, and the share of the machine's {measured[0][1]['cores']} cores "
             "that was busy (bench_and_task: the bench, ansible-playbook and the module, or the floor's script):", ""]
    for label, cpu in measured:
        by_time = sorted(cpu["seconds_by_role"].items(), key=lambda item: -item[1])
        roles = ", ".join(f"{role} {seconds:.1f}" for role, seconds in by_time)
        lines.append(f"- {label}: {roles}; busy {cpu['busy_share']:.0%}")
    return [*lines, ""]


def _b5(b5: Dict[str, Any], b2: Dict[str, Any]) -> List[str]:
    raw = b5["best_raw"]
    lines = [
        f"## B5 background import: {b5['devices']} devices, split into batch jobs, 1 and 2 workers",
        "",
        f"The first {b5['devices']} devices a search of a {b5['estate_devices']}-device estate finds ready that are "
        "neither stacks nor VMs, queued as `librenms_device_import` queues them (`background: always`, "
        f"`batch_jobs_threshold` {b5.get('batch_jobs_threshold') or 'default'}), timed from the enqueue to the parent "
        "job's end; everything deleted between runs.",
        "",
        _row("workers", "batch jobs", "seconds", "devices/s", "x 1 worker", "x best raw", "NetBox write requests"),
        _row(*["---"] * 7),
    ]
    one = b5["runs"]["1"]["seconds"]
    for workers, run in sorted(b5["runs"].items()):
        lines.append(_row(workers, run["batch_jobs"], _s(run["seconds"]), f"{run['devices_per_s']:.1f}",
                          _s(one / run["seconds"]), _s(run["devices_per_s"] / raw["devices_per_s"]),
                          run["api_calls"]["netbox_writes"]))
    lines += ["", f"Best raw concurrent bulk create of the same run (B2's curve): {raw['devices_per_s']:.1f} devices/s "
              f"at concurrency {raw['concurrency']}.", "",
              *_cpu_lines([(f"{workers} worker(s)", run.get("cpu")) for workers, run in sorted(b5["runs"].items())]),
              *_nightly(b5, b2)]
    return lines


NIGHTLY_DEVICES = 50_000


def _nightly(b5: Dict[str, Any], b2: Dict[str, Any]) -> List[str]:
    """On paper, from the measured runs: what a nightly import of 50,000 new devices needs on a NetBox like this."""
    raw = b5["best_raw"]
    best_run = max(b5["runs"].values(), key=lambda run: run["devices_per_s"])
    hours = NIGHTLY_DEVICES / best_run["devices_per_s"] / 3600
    return [
        f"### On paper: a nightly import of {NIGHTLY_DEVICES:,} new devices",
        "",
        f"NetBox, as run here ({b5.get('netbox_workers', '?')} gunicorn workers, {b5.get('cpu_count', '?')} CPU "
        f"cores shared with PostgreSQL and the clients), is the limit: the raw bulk create gains nothing past "
        f"concurrency {raw['concurrency']} ({raw['devices_per_s']:.1f} devices/s), and the best background run, "
        f"{best_run['workers']} worker(s) at write concurrency {b2['write_concurrency']}, reached "
        f"{best_run['devices_per_s']:.1f} devices/s ({best_run['devices_per_s'] / raw['devices_per_s']:.2f} x that "
        f"point){saturation(best_run.get('cpu'))}. At that rate {NIGHTLY_DEVICES:,} devices take about "
        f"{hours:.1f} h. More rq workers would only queue at NetBox. Going faster needs NetBox to go wider: more "
        "gunicorn workers on more cores (each write is CPU-bound in NetBox and PostgreSQL), PostgreSQL connections "
        "for every gunicorn worker, and then more rq workers (workers x write_concurrency about the gunicorn worker "
        "count). A re-run of the same devices writes nothing (B3) and takes the time of a search.",
        "",
    ]


def _b4_options(options: Dict[str, Any]) -> str:
    compose, = options["compose"].items()
    group, = options["groups"].items()
    keyed, = options["keyed_groups"]
    return (f"`compose: {{{compose[0]}: \"{compose[1]}\"}}`, `groups: {{{group[0]}: \"{group[1]}\"}}`, "
            f"`keyed_groups: [{{key: {keyed['key']}, prefix: {keyed['prefix']}}}]`")


def _b4(b4: Dict[str, Any]) -> List[str]:
    best, median, ratios = b4["best_s"], b4["median_s"], b4["ratios"]
    listing, constructed = b4["ansible_inventory_list"], b4["ansible_inventory_list_constructed"]
    load = b4["load_average"]

    def row(label, key, versus):
        base = f"{_s(best[key])} ({_s(median[key])})"
        return _row(label, base, *(_s(best[key] / best[other]) if other in best else "-" for other in versus))

    def same(key):
        return "the same" if b4["same_output"][key]["same"] else "**not** the same"

    return [
        f"## B4 inventory: {b4['devices']} devices, {b4['hosts']} hosts, {b4['groups']} groups",
        "",
        f"Best of {b4['rounds']} rounds in one child process (median in brackets), each round running every "
        f"contender once in a rotating order; ansible-core's constructed path in the first {b4['core_rounds']} "
        f"rounds only. Load average {' '.join(f'{v:.2f}' for v in load['before'])} before the rounds, "
        f"{' '.join(f'{v:.2f}' for v in load['after'])} after.",
        "",
        "Floor B (`bench/floor_inventory.py`) is a minimal plugin that makes the plugin's plain inventory: one GET, "
        "`json.loads`, `add_host`, host variables set in one step, `add_child` into the same groups. Constructed: "
        f"{_b4_options(b4['constructed_options'])} ({b4['constructed_groups']} groups).",
        "",
        _row("run", "seconds", "x floor B", "x plugin parse"), _row("---", "---", "---", "---"),
        row("floor B", "floor_b", ("floor_b", "plugin")),
        row("plugin parse(), plain", "plugin", ("floor_b", "plugin")),
        row("  of which the fetch (list, normalise, filter)", "plugin_fetch", ("floor_b", "plugin")),
        row("  of which hosts, variables and groups", "plugin_hosts_groups", ("floor_b", "plugin")),
        row("plugin parse(), constructed", "constructed", ("floor_b", "plugin")),
        row("  of which hosts, variables and groups", "constructed_hosts_groups", ("floor_b", "plugin")),
        row("constructed through ansible-core's own path (fast path off)", "core_constructed", ("floor_b", "plugin")),
        row("raw: GET /api/v0/devices + json.loads (no host)", "raw", ("floor_b", "plugin")),
        row("the library's list_devices alone", "library_list_devices", ("floor_b", "plugin")),
        row("ansible-core's add_host/add_child alone (same hosts and groups)", "ansible_core_hosts_groups",
            ("floor_b", "plugin")),
        _row("`ansible-inventory --list`, plain, as a whole", _s(listing["wall_s"]), "-", "-"),
        _row("`ansible-inventory --list`, constructed, as a whole", _s(constructed["wall_s"]), "-", "-"),
        "",
        f"Ratios of medians: plugin / floor B {ratios['plugin_vs_floor_b']['median']:.2f}, constructed / plugin "
        f"{ratios['constructed_vs_plugin']['median']:.2f}, ansible-core's constructed / plugin "
        f"{ratios['core_constructed_vs_plugin']['median']:.2f}. Output: floor B and the plugin made "
        f"{same('floor_b_vs_plugin')} inventory, the fast and ansible-core's constructed paths "
        f"{same('constructed_vs_core')} one.",
        "",
        f"Peak memory: `ansible-inventory --list` {listing['peak_rss_mb']:.0f} MB plain and "
        f"{constructed['peak_rss_mb']:.0f} MB constructed (its process tree), the measuring child "
        f"{b4['child_peak_rss_mb']:.0f} MB.",
        "",
    ]


def _b6(b6: Dict[str, Any]) -> List[str]:
    floor, loop, sync = b6["raw_bulk_create"], b6["netbox_loop"], b6["sync"]
    objects = sum(floor["written"].values())
    lines = [
        f"## B6 sync: {b6['linked_devices']} devices, {b6['objects']['interfaces']} interfaces",
        "",
        f"A {b6['estate_devices']}-device estate ({b6['front_ports']} access ports per switch or member); every "
        f"device a search finds ready imported first ({b6['imported_devices']}, not timed). Objects "
        f"({', '.join(f'{k} {v}' for k, v in b6['objects'].items())}): what the sync wrote, read back. The floor and "
        f"the loop write the same objects; every run starts from a copy of NetBox's database taken before the sync "
        f"(copied back in seconds, where deleting them through the API took minutes); bulk writes in batches of "
        f"{b6['batch_size']}, the sync at write concurrency {b6['write_concurrency']}. " + _b6_rounds(b6),
        "",
        _row("run", "wall s", "task s", "objects", "objects/s (task)", "change-log entries", "NetBox requests",
             "peak RSS MB"),
        _row(*["---"] * 8),
        _row("raw pynetbox bulk create (floor)", _s(floor["process_wall_s"]), _s(floor["seconds"]), objects,
             f"{objects / floor['seconds']:.0f}", floor["change_log_entries"], floor["netbox_requests"],
             f"{floor['peak_rss_mb']:.0f}"),
        _row("netbox.netbox loop (sample)", _s(loop["wall_s"]), _s(loop["task_s"]), loop["objects"],
             f"{loop['objects'] / loop['task_s']:.1f}", loop["change_log_entries"], "-", f"{loop['peak_rss_mb']:.0f}"),
    ]
    for key, label in (("run", "`librenms_device_sync`"), ("rerun", "`librenms_device_sync` re-run")):
        run = sync[key]
        lines.append(_row(label, _s(run["wall_s"]), _s(run["task_s"]), objects, f"{objects / run['task_s']:.0f}",
                          run["change_log_entries"], (run.get("api_calls") or {}).get("netbox", "-"),
                          f"{run['peak_rss_mb']:.0f}"))
    by_kind = ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in floor["seconds_by_kind"].items())
    rounds = (f"Rounds, in order: sync {_seconds_list(sync['runs'], 'task_s')} "
              f"(median {sync['task_s']['median']:.1f} s), floor {_seconds_list(floor['runs'], 'seconds')} "
              f"(median {floor['best_and_median']['median']:.1f} s).")
    return [*lines, "", rounds, "", f"The floor by kind, best round: {by_kind}.", ""]


def _b6_rounds(b6: Dict[str, Any]) -> str:
    if b6["rounds"] > 1:
        return (f"The sync and the floor ran in alternation, {b6['rounds']} rounds (sync first, then floor first); "
                "the table shows each one's best round.")
    minutes = (b6["sync"]["run"]["wall_s"] + b6["raw_bulk_create"]["process_wall_s"]) / 120
    return (f"One round each, the sync first (each took about {minutes:.0f} minutes here; two alternated rounds "
            "would double that), on a NetBox restarted over the same copy of its database.")


def _seconds_list(runs: List[Dict[str, Any]], key: str) -> str:
    return ", ".join(f"{run[key]:.1f} s" for run in runs)


def _profiles(profiles: Dict[str, str]) -> List[str]:
    if not profiles:
        return []
    lines = ["## Profiles (cProfile, top entries by cumulative and by own time)", "",
             "Taken after the timed runs, for each missed target, and for the module process of the largest "
             "search (where ansible-playbook's time beyond the library goes).", ""]
    for key, text in profiles.items():
        lines += [f"### {key}", "", "```", text.rstrip(), "```", ""]
    return lines


def markdown(results: Dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/`); do not edit by hand. Figures of one run, with the same NetBox and "
        "the same data for every side; timings on a shared machine are noisy. Raw figures: `bench/results.json`.",
        "",
        *_environment(results),
        *_verdicts(results["verdicts"]),
    ]
    if "b1" in results:
        lines += _b1(results["b1"])
    if "b2_b3" in results:
        lines += _b2(results["b2_b3"])
    if "b4" in results:
        lines += _b4(results["b4"])
    if "b5" in results and "b2_b3" in results:
        lines += _b5(results["b5"], results["b2_b3"])
    if "b6" in results:
        lines += _b6(results["b6"])
    lines += _profiles(results.get("profiles", {}))
    return "\n".join(lines).rstrip() + "\n"


def write(results: Dict[str, Any], json_path: Path, md_path: Path) -> None:
    json_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    md_path.write_text(markdown(results))


def console_table(verdicts: List[Dict[str, Any]]) -> str:
    return "\n".join(f"{v['benchmark']}  {'met   ' if v['met'] else 'MISSED'}  {v['target']}: {v['figure']}"
                     for v in verdicts)
