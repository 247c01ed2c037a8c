"""The estate: specials, uniqueness, determinism, filler mix, and the 10,000-device figures."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.estate import build_estate
from harness.librenms_sim.specials import SPECIALS


def test_specials_take_the_first_ids_whatever_the_size():
    for size in (300, 5, 0):
        small = build_estate(seed=7, size=size)
        assert list(small.specials) == [name for name, _make in SPECIALS]
        assert list(small.specials.values()) == list(range(1, len(SPECIALS) + 1))
        assert len(small.devices) == max(size, len(SPECIALS))


def test_same_seed_same_estate_other_seed_differs():
    first, second, other = build_estate(42, 300), build_estate(42, 300), build_estate(43, 300)
    assert first.devices == second.devices
    assert [first.inventory(i) for i in range(1, 80)] == [second.inventory(i) for i in range(1, 80)]
    assert first.devices != other.devices
    assert first.specials == other.specials  # the ids are fixed; the data is not


def test_http_answers_are_byte_identical_after_a_reload(api, ctl):
    before = (api.get("/devices").content, api.get("/inventory/40/all").content, api.get("/devices/9").content)
    ctl.load_estate(seed=42, size=300, stack_ratio=0.1)
    after = (api.get("/devices").content, api.get("/inventory/40/all").content, api.get("/devices/9").content)
    assert before == after
    ctl.load_estate(seed=43, size=300, stack_ratio=0.1)
    assert api.get("/devices").content != before[0]
    assert ctl.estate()["seed"] == 43


def test_uniqueness(estate):
    for key in ("hostname", "ip"):
        values = [d[key] for d in estate.devices if d[key]]
        assert len(values) == len(set(values)), key
    serials = [d["serial"] for d in estate.devices if d["serial"]]
    assert len(serials) == len(set(serials))
    inventory_serials = collections.Counter(
        r["entPhysicalSerialNum"] for d in estate.devices for r in estate.inventory(d["device_id"])
        if r["entPhysicalSerialNum"])
    # a device's serial shows up in its own inventory (chassis, FPC or line card), never in another device's
    owners = collections.defaultdict(set)
    for d in estate.devices:
        for r in estate.inventory(d["device_id"]):
            if r["entPhysicalSerialNum"]:
                owners[r["entPhysicalSerialNum"]].add(d["device_id"])
    assert all(len(devs) == 1 for devs in owners.values())
    assert inventory_serials


def test_inventory_tables_are_well_formed(estate):
    for d in estate.devices:
        rows = estate.inventory(d["device_id"])
        indexes = [r["entPhysicalIndex"] for r in rows]
        assert len(indexes) == len(set(indexes)), d["device_id"]
        assert all(r["entPhysicalContainedIn"] == 0 or r["entPhysicalContainedIn"] in indexes for r in rows)
        assert all(r["device_id"] == d["device_id"] for r in rows)
        ids = [r["entPhysical_id"] for r in rows]
        assert len(ids) == len(set(ids))


def test_secrets_everywhere(estate):
    assert all(SECRET_MARKER in d["community"] for d in estate.devices)
    v3 = [d for d in estate.devices if d["snmpver"] == "v3"]
    assert v3 and all(SECRET_MARKER in d["authpass"] and SECRET_MARKER in d["cryptopass"] for d in v3)


def test_locations_and_mix(estate):
    names = [loc["location"] for loc in estate.locations]
    assert len(names) >= 6 and "Zürich DC1" in names
    assert {d["type"] for d in estate.devices} >= {"network", "server", "firewall", "wireless"}
    assert {d["os"] for d in estate.devices} >= {"ios", "iosxe", "junos", "eos", "arubaos-cx", "fortigate", "linux"}
    hardware = {d["hardware"] for d in estate.devices}
    for model in ("WS-C2960X-48FPD-L", "C9200L-48P-4G", "C9300-48P", "DCS-7050SX-64", "FortiGate-100F",
                  "VMware Virtual Platform", "Dell PowerEdge R640"):
        assert model in hardware, model


def _stack_count(e) -> int:
    return sum(1 for p in e.plans.values() if p["kind"] == "cisco_stack" and len(p["members"]) > 1)


def test_filler_mix_follows_stack_ratio():
    big = build_estate(seed=5, size=2000, stack_ratio=0.1)
    filler = len(big.devices) - len(SPECIALS)
    share = (_stack_count(big) - 3) / filler  # three specials are Cisco stacks
    assert 0.07 < share < 0.13
    sizes = {len(p["members"]) for p in big.plans.values() if p["kind"] == "cisco_stack"}
    assert {2, 3, 4} <= sizes
    assert sum(1 for p in big.plans.values() if p["kind"] == "juniper" and len(p["fpcs"]) > 1) > 5
    assert sum(1 for p in big.plans.values() if p["kind"] == "none") > 50
    fillers = big.devices[len(SPECIALS):]
    assert sum(d["disabled"] for d in fillers) > 5 and sum(d["ignore"] for d in fillers) > 5
    assert sum(1 for d in fillers if d["status"] == 0) > 5
    none = build_estate(seed=5, size=500, stack_ratio=0.0)
    assert _stack_count(none) == 3


def test_payload_is_realistic_per_device(api):
    size = len(api.get("/devices").content)
    per_device = size / 300
    print(f"\nlist payload: {size} bytes, {per_device:.0f} bytes per device")
    assert 1500 <= per_device <= 3000


@pytest.mark.timeout(120)
def test_ten_thousand_devices_build_and_list(sim, api, ctl):
    started = time.perf_counter()
    summary = ctl.load_estate(seed=42, size=10000, stack_ratio=0.1)
    built = time.perf_counter() - started
    assert summary["devices"] == 10000
    started = time.perf_counter()
    response = api.get("/devices", timeout=60)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = api.get("/devices", timeout=60)
    cached = time.perf_counter() - started
    assert response.status_code == 200 and again.content == response.content
    count = response.content.count(b'"device_id": ')
    print(f"\n10,000 devices: build {built:.2f} s, first list {first:.2f} s, cached list {cached:.2f} s, "
          f"{len(response.content)} bytes ({len(response.content) / 10000:.0f} per device)")
    assert count == 10000
    assert built + first + cached < 30


def test_answers_do_not_depend_on_the_process_hash_seed():
    script = (
        "import hashlib\n"
        "from harness.librenms_sim.server import make_server\n"
        "s = make_server('t', 0, seed=42, size=120)\n"
        "h = hashlib.sha256(s.sim.routes.dispatch(['devices'], {}, 'http://x').body)\n"
        "for i in range(1, 121): h.update(s.sim.routes.dispatch(['inventory', str(i), 'all'], {}, 'http://x').body)\n"
        "s.server_close()\n"
        "print(h.hexdigest())\n"
    )
    repo = Path(__file__).resolve().parents[2]
    digests = {
        subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(repo)}).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1 and len(digests.pop().strip()) == 64
