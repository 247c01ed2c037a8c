"""cProfile of what holds a missed target back, taken in a child process after the timed runs of its benchmark."""

from __future__ import annotations

from typing import Dict, List

from bench import netbox_data as nbd
from bench.context import SEED, Context
from bench.options import import_args, lean_search_args, search_args
from bench.runs import run_child


def _profiled(ctx: Context, mode: str, params: dict, **extra) -> str:
    return run_child(ctx, mode, dict(extra, params=params, profile=True))[1]["profile"]


def profile_b1(ctx: Context, control, missed: List[str]) -> Dict[str, str]:
    """The library when its target is missed; always the module process of the largest search, which tells
    where the ansible-playbook time beyond the library goes (the target is stated for the library); the module
    process with the lean result when the lean target is missed."""
    size = max(ctx.sizes.search)
    control.load_estate(SEED, size)
    out = {}
    if "b1_time" in missed:
        out[f"B1 search, detection off, {size} devices (run_search)"] = _profiled(ctx, "search_library",
                                                                                  search_args(False))
    out[f"B1 search, detection off, {size} devices, the librenms_device_filter module process"] = _profiled(
        ctx, "module_process", search_args(False), module="librenms_device_filter")
    if "b1_lean" in missed:
        out[f"B1 search with the lean result, detection off, {size} devices, the module process"] = _profiled(
            ctx, "module_process", lean_search_args(), module="librenms_device_filter")
    return out


def profile_b2_b3(ctx: Context, control, api, device_ids: List[int], missed: List[str]) -> Dict[str, str]:
    """The import of the same devices (B2) and its re-run (B3), each profiled; NetBox is left as it was."""
    wanted = [key for key in ("b2_throughput", "b3_search", "b3_loop") if key in missed]
    if not wanted:
        return {}
    control.load_estate(SEED, ctx.sizes.import_estate)
    out = {}
    first = _profiled(ctx, "import_library", import_args(device_ids))
    if "b2_throughput" in wanted:
        out[f"B2 import of {len(device_ids)} devices (run_import)"] = first
    if "b3_search" in wanted or "b3_loop" in wanted:
        out[f"B3 re-run of the import of {len(device_ids)} devices (run_import)"] = _profiled(
            ctx, "import_library", import_args(device_ids))
    if "b3_search" in wanted:  # both tasks as the module processes Ansible runs, exit_json included
        out[f"B3 re-run, the librenms_device_import module process ({len(device_ids)} devices)"] = _profiled(
            ctx, "module_process", import_args(device_ids), module="librenms_device_import")
        out["B3 search of the same estate, the librenms_device_filter module process"] = _profiled(
            ctx, "module_process", search_args(False), module="librenms_device_filter")
    nbd.wipe_imports(api)
    return out


def profile_b4(ctx: Context, control, missed: List[str]) -> Dict[str, str]:
    """The plain parse when it misses floor B or the memory target; the constructed parse when it misses its own."""
    wanted = [config for config, keys in (("plain", ("b4_floor", "b4_memory")), ("constructed", ("b4_constructed",)))
              if any(key in missed for key in keys)]
    if not wanted:
        return {}
    from bench.inventory import run_profile_child

    control.load_estate(SEED, ctx.sizes.inventory)
    return {f"B4 plugin parse() of {ctx.sizes.inventory} devices, {config} configuration":
            run_profile_child(ctx.librenms_url, ctx.endpoints["librenms"]["token"], config) for config in wanted}
