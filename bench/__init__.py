"""`make bench`: the collection against the raw NetBox and LibreNMS APIs and against netbox.netbox, in one run.

`python -m bench` starts the harness's services when they are not running, loads the simulated estates, runs
B1 (search), B2 (import), B3 (re-run) and B4 (inventory) with the same NetBox and the same data, and writes
`bench/results.json` and `BENCHMARKS.md`. Timings are never asserted: the report states where each figure stands
against its target.
"""
