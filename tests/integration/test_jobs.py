"""Background mode against real services: RQ jobs run by real `rq worker` processes (tests/integration/workers.py),
the Redis cache, and librenms_job_status, through real ansible-playbook runs.

Every test starts the workers it needs and stops them at its end. After every test a scan of every key and value
of every Redis database in use proves that no token and no LibreNMS SNMP secret reached Redis.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List

import pytest
import redis
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs import queue as _jobs
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.cache import PREFIX as CACHE_PREFIX
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs.status import job_status
from rq import Queue
from rq.job import Job

from harness import netbox_estate as nbe
from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.estate import build_estate as build_sim_estate
from harness.process import port_in_use
from harness.settings import REPO_ROOT, load_settings
from tests.integration.workers import Workers

pytestmark = pytest.mark.integration

FILTER = "netbox_librenms.sync.librenms_device_filter"
IMPORT = "netbox_librenms.sync.librenms_device_import"
STATUS = "netbox_librenms.sync.librenms_job_status"
IMPORT_COMMENT = "Imported from LibreNMS"


# --------------------------------------------------------------------------------------------------------------
# Playbook runs: every step of a list is one task, all in one ansible-playbook run; each step's registered
# result comes back (failed steps included). A step is {"module": args} or {"pause": seconds}.


def _task(index: int, step: dict) -> dict:
    if "pause" in step:
        return {"name": f"step {index}: pause", "ansible.builtin.pause": {"seconds": step["pause"]},
                "register": f"r{index}"}
    (module, args), = step.items()
    return {"name": f"step {index}", module: args, "register": f"r{index}", "ignore_errors": True}


def run_steps(env: dict, workdir: Path, steps: List[dict], hosts: int = 1) -> List[dict]:
    """One ansible-playbook run; with hosts > 1 every step runs on that many local hosts at once (forks)."""
    run_dir = Path(tempfile.mkdtemp(dir=workdir))
    names = [f"h{index}" for index in range(hosts)]
    inventory = run_dir / "hosts.yml"
    inventory.write_text(json.dumps({"all": {"hosts": {name: {"ansible_connection": "local"} for name in names}}}))
    save = {"name": "save the results", "ansible.builtin.copy": {
        "content": "{{ [" + ", ".join(f"r{i}" for i in range(len(steps))) + "] | to_json }}",
        "dest": str(run_dir) + "/{{ inventory_hostname }}.json", "mode": "0600"}}
    play = [{"name": "steps", "hosts": "all", "gather_facts": False,
             "tasks": [_task(index, step) for index, step in enumerate(steps)] + [save]}]
    playbook = run_dir / "play.yml"
    playbook.write_text(json.dumps(play))
    completed = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "ansible-playbook"), "-i", str(inventory), "-f", str(max(5, hosts)),
         str(playbook)], env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    results = []
    for name in names:
        path = run_dir / f"{name}.json"
        if not path.exists():
            raise AssertionError(f"ansible-playbook failed:\n{completed.stdout[-5000:]}\n{completed.stderr[-3000:]}")
        for result in json.loads(path.read_text()):
            result.pop("invocation", None)
            result["_stdout"] = completed.stdout
            results.append(result)
    return results


def one(env: dict, workdir: Path, module: str, args: dict) -> dict:
    return run_steps(env, workdir, [{module: args}])[0]


def assert_ok(result: dict) -> dict:
    assert not result.get("failed"), result.get("msg") or result
    return result


def assert_clean_failure(result: dict, *expected: str) -> None:
    assert result.get("failed") is True, result
    for text in expected:
        assert text in result["msg"], result["msg"]
    assert "Traceback" not in json.dumps(result.get("msg")), result["msg"]
    assert "module_stderr" not in result, result.get("module_stderr")


# --------------------------------------------------------------------------------------------------------------
# Redis: every key and value of every database holding keys, with RQ's encodings undone.


def _decodings(blob: bytes) -> List[bytes]:
    """The blob, and what it is once zlib-inflated and/or base64-decoded (RQ stores job data, exceptions and
    results that way; pickled strings stay readable as UTF-8 inside)."""
    found = [blob]
    for candidate in (blob, _b64(blob)):
        if candidate is None:
            continue
        if candidate is not blob:
            found.append(candidate)
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompress(candidate))
    return found


def _b64(blob: bytes):
    try:
        return base64.b64decode(blob, validate=True) if blob else None
    except (binascii.Error, ValueError):
        return None


def redis_values(client: redis.Redis, key: bytes) -> List[bytes]:
    kind = client.type(key).decode()
    if kind == "string":
        values = [client.get(key)]
    elif kind == "hash":
        values = [part for pair in client.hgetall(key).items() for part in pair]
    elif kind == "list":
        values = client.lrange(key, 0, -1)
    elif kind == "set":
        values = list(client.smembers(key))
    elif kind == "zset":
        values = [member for member, _score in client.zrange(key, 0, -1, withscores=True)]
    elif kind == "stream":
        values = [part for _id, fields in client.xrange(key) for pair in fields.items() for part in pair]
    elif kind == "none":  # expired between SCAN and TYPE
        values = []
    else:
        raise AssertionError(f"unexpected Redis type {kind} for {key!r}")
    return [key] + [value for value in values if value is not None]


def scan_for(url: str, hidden: Dict[str, str]) -> Dict[str, int]:
    """Leaks as 'db/key: what' (an empty dict when there is none) and how many keys were read per database."""
    base = redis.Redis.from_url(url)
    databases = [int(name[2:]) for name in base.info("keyspace") if name.startswith("db")]
    leaks, counts = [], {}
    for db in databases:
        client = redis.Redis.from_url(url, db=db)
        counts[db] = 0
        for key in client.scan_iter(count=1000):
            counts[db] += 1
            for blob in redis_values(client, key):
                for text in _decodings(blob):
                    for what, secret in hidden.items():
                        if secret.encode() in text:
                            leaks.append(f"db{db}/{key.decode(errors='replace')}: {what}")
    return {"leaks": sorted(set(leaks)), "counts": counts}


# --------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def redis_url(services) -> str:
    return services["redis"]["url"]


@pytest.fixture(scope="module")
def rconn(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


@pytest.fixture(scope="module")
def worker_env(services) -> Dict[str, str]:
    return {"LIBRENMS_URL": services["librenms"]["url"], "LIBRENMS_TOKEN": services["librenms"]["token"],
            "NETBOX_URL": services["netbox"]["url"], "NETBOX_TOKEN": services["netbox"]["token_v2"]}


@pytest.fixture(scope="module")
def hidden(services) -> Dict[str, str]:
    return {"NetBox v2 token": services["netbox"]["token_v2"], "NetBox v1 token": services["netbox"]["token_v1"],
            "NetBox v2 token secret": services["netbox"]["token_v2"].split(".", 1)[-1],
            "LibreNMS token": services["librenms"]["token"], "SNMP secret": SECRET_MARKER}


@pytest.fixture(autouse=True)
def no_secret_in_redis(services, hidden):
    """After every test: no token and no SNMP secret anywhere in Redis (every database with keys)."""
    yield
    url = services["redis"]["url"]
    scan = scan_for(url, hidden)
    assert scan["counts"], "the scan read no database"
    assert scan["leaks"] == [], scan["leaks"]


@pytest.fixture()
def workers(redis_url, worker_env, tmp_path):
    manager = Workers(redis_url, worker_env, tmp_path)
    yield manager
    started = list(manager.started)
    manager.stop_all()
    assert manager.alive(started) == [], "rq worker processes left behind"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("jobs")


@pytest.fixture(scope="module")
def env(ansible_env) -> dict:
    return dict(ansible_env)


def _ids(endpoint) -> set:
    return {record.id for record in endpoint.filter(limit=1000, fields="id")}


@pytest.fixture(scope="module")
def estate(netbox, redis_url):
    """The NetBox side of the simulator's estate; at the end every device, VM and virtual chassis the tests' imports
    created is deleted (whatever is not in the snapshot taken here), then the estate itself."""
    settings = load_settings()
    # Reference data cached by earlier runs names objects the estate is about to replace (new ids, same names).
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{CACHE_PREFIX}:*", count=1000):
        client.delete(key)
    rows = {row["device_id"]: row for row in build_sim_estate(seed=settings.librenms_seed,
                                                              size=settings.librenms_size).devices}
    created = nbe.build_estate(netbox, serials={i: rows[i]["serial"] for i in range(24, 32)},
                               ips={i: rows[i]["ip"] for i in range(24, 32)})
    before = SimpleNamespace(devices=_ids(netbox.dcim.devices), vms=_ids(netbox.virtualization.virtual_machines),
                             chassis=_ids(netbox.dcim.virtual_chassis))
    yield created
    for endpoint, kept in ((netbox.dcim.virtual_chassis, before.chassis), (netbox.dcim.devices, before.devices),
                           (netbox.virtualization.virtual_machines, before.vms)):
        doomed = sorted(_ids(endpoint) - kept)
        for start in range(0, len(doomed), 200):
            endpoint.delete(doomed[start:start + 200])
    nbe.remove_estate(netbox)
    redis.Redis.from_url(redis_url).flushdb()


def search_args(**overrides) -> dict:
    """The whole estate with the reference maps of netbox_estate, as the device-filter tests search it."""
    args = {
        "all_devices": True, "vc_detection": True, "site_map": nbe.SITE_MAP,
        "device_type_map": nbe.DEVICE_TYPE_MAP, "role": nbe.DEFAULT_ROLE, "role_rules": nbe.ROLE_RULES,
        "selections": {"11": {"as_vm": True, "cluster": nbe.CLUSTER}, "1": {"rack": nbe.RACK}},
    }
    args.update(overrides)
    return args


def import_args(**overrides) -> dict:
    args = search_args(**overrides)
    args.pop("vc_detection", None)
    return args


def fetch_job(rconn, job_id: str) -> Job:
    return Job.fetch(job_id, connection=rconn)


def poll(rconn, job_id: str, until, timeout: float = 60, interval: float = 0.1) -> List[dict]:
    """job_info snapshots until `until(info)` holds; fails after `timeout` seconds."""
    job = fetch_job(rconn, job_id)
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        info = _jobs.job_info(job)
        seen.append(info)
        if until(info):
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} did not get there in {timeout:g} s; last: {info}")
        time.sleep(interval)


def change_count(netbox) -> int:
    return netbox.core.object_changes.count()


# --------------------------------------------------------------------------------------------------------------
# Tests


@pytest.fixture(scope="module")
def sync_search(estate, env, workdir):
    """The whole-estate search run synchronously (the reference every background result is compared with)."""
    result = assert_ok(one(env, workdir, FILTER, search_args(background="never")))
    assert "job" not in result
    assert len(result["devices"]) > 250
    return result


def test_background_search_reports_progress_and_returns_the_synchronous_devices(
        sync_search, env, workdir, workers, librenms, rconn):
    workers.start()
    librenms.configure(latency_ms=100)  # one inventory call per device, 4 at a time: about 8 s for the estate
    queued = assert_ok(one(env, workdir, FILTER, search_args(background="always")))
    job = queued["job"]
    assert queued["job_created"] is True and queued["changed"] is False
    assert job["queue"] == "netbox_librenms.default" and job["status"] in ("queued", "started")
    seen = poll(rconn, job["id"], lambda info: info["status"] in _jobs.FINAL, timeout=120)
    librenms.configure(latency_ms=0)
    assert seen[-1]["status"] == "finished", seen[-1]
    inventory = [info["progress"]["processed"] for info in seen
                 if info["status"] == "started" and info["progress"].get("phase") == "inventory"]
    assert len(set(inventory)) >= 3, f"progress did not advance while the job ran: {inventory}"
    assert inventory == sorted(inventory)
    totals = {info["progress"]["total"] for info in seen if info["progress"].get("phase") == "inventory"}
    assert totals == {len(sync_search["devices"])}
    assert all(0 <= info["progress"]["percent"] <= 100 for info in seen if info["progress"])

    status = assert_ok(one(env, workdir, STATUS, {"job_id": job["id"]}))
    result = status["job"]["result"]
    assert status["changed"] is False and status["job"]["status"] == "finished"
    assert status["job"]["progress"]["phase"] == "done"
    assert result["devices"] == sync_search["devices"]
    assert result["summary"] == sync_search["summary"]
    assert result["device_ids"] == [device["device_id"] for device in sync_search["devices"]]
    assert result["total_processed"] == len(sync_search["devices"])
    assert result["vc_detection_enabled"] is True and result["completed"] is True
    assert result["server_key"] == "default" and result["cache_timeout"] == 300 and result["cached_at"]


def test_wait_returns_what_a_synchronous_run_returns(sync_search, env, workdir, workers):
    workers.start()
    waited = assert_ok(one(env, workdir, FILTER, search_args(background="always", wait=True)))
    assert waited["job"]["status"] == "finished" and waited["job"]["queue"] == "netbox_librenms.default"
    for key in ("devices", "summary", "filters", "server_key", "changed"):
        assert waited[key] == sync_search[key], key
    assert waited["device_ids"] == [device["device_id"] for device in sync_search["devices"]]
    assert [entry["search_key"] for entry in waited["cached_searches"]] == [waited["search_key"]]


def _start_slow_import(env, workdir, workers, librenms, rconn, netbox, latency_ms: int, **overrides):
    """An import of the whole estate queued with LibreNMS answering slowly; returns (job id, changes before)."""
    workers.start()
    before = change_count(netbox)
    librenms.configure(latency_ms=latency_ms)
    queued = assert_ok(one(env, workdir, IMPORT, import_args(background="always", **overrides)))
    assert queued["changed"] is True and queued["job_created"] is True, queued
    return queued["job"]["id"], before


def test_stopping_an_import_while_it_reads_inventories(estate, env, workdir, workers, librenms, rconn, netbox):
    job_id, before = _start_slow_import(env, workdir, workers, librenms, rconn, netbox, latency_ms=300)
    seen = poll(rconn, job_id, lambda info: info["progress"].get("phase") == "inventory"
                and info["progress"]["processed"] >= 5, timeout=60)
    assert seen[-1]["status"] == "started"
    started = time.monotonic()
    # stopping twice: the second one finds the job stopped and changes nothing
    stopped, again = run_steps(env, workdir, [{STATUS: {"job_id": job_id, "state": "stopped"}},
                                              {STATUS: {"job_id": job_id, "state": "stopped"}}])
    right_after = change_count(netbox)
    processed = _jobs.job_info(fetch_job(rconn, job_id))["progress"]["processed"]
    assert time.monotonic() - started < 30
    assert assert_ok(stopped)["changed"] is True
    assert stopped["job"]["status"] == "stopped", stopped["job"]
    assert stopped["job"]["error"]["type"] == "JobStopped"
    assert stopped["job"]["result"] is None and stopped["job"]["ended_at"]
    assert assert_ok(again)["changed"] is False and again["job"]["status"] == "stopped"
    time.sleep(4)
    assert change_count(netbox) == right_after == before  # no device written, during nor after the run
    assert _jobs.job_info(fetch_job(rconn, job_id))["progress"]["processed"] == processed


def test_stopping_an_import_while_it_writes(estate, env, workdir, workers, librenms, rconn, netbox, redis_url):
    """The import stops at its next progress point (after the batch under way): nothing is written after that."""
    job_id, before = _start_slow_import(env, workdir, workers, librenms, rconn, netbox, latency_ms=0, batch_size=1)
    seen = poll(rconn, job_id, lambda info: info["progress"].get("phase") == "write" or info["status"] in _jobs.FINAL,
                timeout=120, interval=0.05)
    assert seen[-1]["status"] == "started" and seen[-1]["progress"]["phase"] == "write", seen[-1]
    total = seen[-1]["progress"]["total"]
    # what librenms_job_status state=stopped runs, called here: ansible-playbook's start-up would let it finish
    stopped = job_status({"redis_url": redis_url, "job_id": job_id, "state": "stopped"})
    right_after = change_count(netbox)
    assert stopped["changed"] is True and stopped["job"]["status"] == "stopped", stopped["job"]
    assert stopped["job"]["error"]["type"] == "JobStopped"
    time.sleep(4)
    assert change_count(netbox) == right_after > before
    written = [record for record in netbox.dcim.devices.filter(limit=1000, fields="id,comments")
               if IMPORT_COMMENT in (record.comments or "")]
    assert 0 < len(written) < total, (len(written), total)


def test_a_worker_killed_mid_job_is_reported_failed(estate, env, workdir, workers, librenms, rconn):
    worker = workers.start()
    librenms.configure(latency_ms=300)
    queued = assert_ok(one(env, workdir, FILTER, search_args(background="always")))
    job_id = queued["job"]["id"]
    poll(rconn, job_id, lambda info: info["progress"].get("phase") == "inventory", timeout=60)
    horses = worker.horse_pids()
    assert horses, "the job runs in a work horse"
    workers.kill(worker)
    assert workers.alive([worker]) == []
    killed_at = time.monotonic()
    # a dead worker does not count as listening either: `auto` runs synchronously and says why
    status, auto = run_steps(env, workdir, [
        {STATUS: {"job_id": job_id}},
        {FILTER: search_args(background="auto", background_threshold=0, vc_detection=False,
                             filters={"os": "junos"}, all_devices=False)},
    ])
    assert time.monotonic() - killed_at < 40
    job = assert_ok(status)["job"]
    assert job["status"] == "failed", job
    assert job["error"]["type"] == "AbandonedJobError"
    assert worker.name in job["error"]["message"] and "killed" in job["error"]["message"]
    assert "traceback" not in job["error"]
    # RQ's own registries agree: out of the started registry, in the failed one.
    assert job_id not in _started_ids(rconn) and job_id in _failed_ids(rconn)
    assert "job" not in assert_ok(auto) and auto["devices"]
    assert any("no worker listens on queue netbox_librenms.default" in w for w in auto.get("warnings", [])), auto


def _started_ids(rconn) -> List[str]:
    from rq.registry import StartedJobRegistry

    return StartedJobRegistry("netbox_librenms.default", connection=rconn).get_job_ids(cleanup=False)


def _failed_ids(rconn) -> List[str]:
    from rq.registry import FailedJobRegistry

    return FailedJobRegistry("netbox_librenms.default", connection=rconn).get_job_ids()


def _closed_port() -> int:
    for port in range(56990, 57100):
        if not port_in_use(port):
            return port
    raise AssertionError("no closed port")


def test_without_redis_auto_runs_synchronously_and_always_fails(estate, env, workdir):
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    small = {"filters": {"os": "junos"}, "all_devices": False, "redis_url": down, "background_threshold": 0}
    auto, always = run_steps(env, workdir, [
        {FILTER: search_args(background="auto", **small)},
        {FILTER: search_args(background="always", **small)},
    ])
    assert_ok(auto)
    assert "job" not in auto and auto["devices"]
    assert [w for w in auto["warnings"] if "running synchronously" in w] == [
        f"Redis unreachable at {down}: ConnectionError: Error 111 connecting to 127.0.0.1:{down[18:23]}. "
        "Connection refused.; running synchronously"], auto["warnings"]
    # the URL is a no_log option, so Ansible masks it in the message
    assert_clean_failure(always, "background: always needs Redis: Redis unreachable at ", ": ConnectionError: ",
                         "Connection refused")


def test_identical_requests_share_one_job(estate, env, workdir, rconn):
    """Three hosts ask for the same import at the same moment (no worker yet): one job, queued once."""
    args = import_args(background="always", filters={"os": "junos"}, all_devices=False)
    results = run_steps(env, workdir, [{IMPORT: args}], hosts=3)
    for result in results:
        assert_ok(result)
    ids = {result["job"]["id"] for result in results}
    assert len(ids) == 1, ids
    assert sorted(result["job_created"] for result in results) == [False, False, True]
    assert sorted(result["changed"] for result in results) == [False, False, True]
    assert all("no worker listens on queue netbox_librenms.default" in " ".join(result["warnings_list"])
               for result in results)
    job_id = ids.pop()
    assert _jobs.job_info(fetch_job(rconn, job_id))["status"] == "queued"
    # the same request once more, now alone: still that job; then a queued job is cancelled (once); once it has
    # ended, the same request queues a new one
    again, first, second, fresh, cancel, from_import = run_steps(env, workdir, [
        {IMPORT: args},
        {STATUS: {"job_id": job_id, "state": "stopped"}},
        {STATUS: {"job_id": job_id, "state": "stopped"}},
        {IMPORT: args},
        {STATUS: {"job_id": "{{ r3.job.id }}", "state": "stopped"}},
        {IMPORT: import_args(from_job=job_id, background="never")},
    ])
    assert assert_ok(again)["job"]["id"] == job_id and again["job_created"] is False and again["changed"] is False
    assert assert_ok(first)["changed"] is True and first["job"]["status"] == "canceled"
    assert assert_ok(second)["changed"] is False and second["job"]["status"] == "canceled"
    assert assert_ok(fresh)["job_created"] is True and fresh["job"]["id"] != job_id
    assert assert_ok(cancel)["changed"] is True and cancel["job"]["status"] == "canceled"
    assert_clean_failure(from_import, f"job {job_id} is canceled, not finished: wait for it")


def test_a_worker_without_credentials_fails_the_job_clearly(estate, env, workdir, workers, services):
    workers.start(credentials=False)
    waited, status = run_steps(env, workdir, [
        {FILTER: search_args(background="always", wait=True, filters={"os": "junos"}, all_devices=False)},
        {STATUS: {"job_id": "{{ r0.job.id }}"}},
    ])
    librenms_url = services["librenms"]["url"]
    expected = (f"this worker has no librenms credentials for server key 'default' at {librenms_url}: "
                "set LIBRENMS_URL and LIBRENMS_TOKEN in its environment or add the server to ")
    assert_clean_failure(waited, "ended failed: LibrenmsSyncError: " + expected)
    job_id = waited["job"]["id"]
    assert_ok(status)
    assert status["job"]["id"] == job_id
    assert status["job"]["status"] == "failed" and status["job"]["result"] is None
    assert status["job"]["error"]["type"] == "LibrenmsSyncError"
    assert status["job"]["error"]["message"].startswith(expected)
    assert "traceback" not in status["job"]["error"]
    # the traceback comes at -vvv only; an unknown id fails clearly
    verbose, unknown = run_steps(dict(env, ANSIBLE_VERBOSITY="3"), workdir, [
        {STATUS: {"job_id": job_id}},
        {STATUS: {"job_id": "0f0f0f0f-0000-0000-0000-000000000000"}},
    ])
    assert "Traceback" in assert_ok(verbose)["job"]["error"]["traceback"]
    assert "worker_credentials" in verbose["job"]["error"]["traceback"]
    assert_clean_failure(unknown, "job 0f0f0f0f-0000-0000-0000-000000000000 does not exist "
                                  "(unknown id, or its result expired)")


def test_from_job_imports_a_finished_search_and_expired_results_fail(estate, env, workdir, workers, netbox,
                                                                     worker_env, tmp_path):
    """A worker with credentials from its 0600 file only; the import takes the search's devices from the cache."""
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(json.dumps({"servers": {"default": {
        "librenms_url": worker_env["LIBRENMS_URL"], "librenms_token": worker_env["LIBRENMS_TOKEN"],
        "netbox_url": worker_env["NETBOX_URL"], "netbox_token": worker_env["NETBOX_TOKEN"]}}}))
    credentials.chmod(0o600)
    workers.start(env={"NETBOX_LIBRENMS_CREDENTIALS": str(credentials)}, credentials=False)
    small = {"filters": {"location": "Zürich DC1"}, "all_devices": False}
    search, imported, short, _pause, expired = run_steps(env, workdir, [
        {FILTER: search_args(background="always", wait=True, **small)},
        {IMPORT: import_args(from_job="{{ r0.job.id }}", background="never")},
        {FILTER: search_args(background="always", wait=True, cache_timeout=2, **small)},
        {"pause": 3},
        {IMPORT: import_args(from_job="{{ r2.job.id }}", background="never")},
    ])
    assert_ok(search)
    ready = sorted(device["device_id"] for device in search["devices"] if device["status"] == "ready")
    assert ready, search["summary"]
    assert_ok(imported)
    assert imported["changed"] is True
    assert sorted(imported["imported_libre_device_ids"] + imported["imported_libre_vm_ids"]) == ready
    assert imported["total"] == len(search["devices"])
    for pk in imported["imported_device_pks"]:
        assert IMPORT_COMMENT in netbox.dcim.devices.get(pk).comments
    assert_ok(short)
    assert short["job"]["id"] != search["job"]["id"]
    assert_clean_failure(expired, "the search results have expired: run the search again")


def test_cached_searches_and_clear_cache(estate, env, workdir, rconn):
    junos = search_args(background="never", filters={"os": "junos"}, all_devices=False, vc_detection=False)
    ios = dict(junos, filters={"os": "ios"})
    first, second = run_steps(env, workdir, [{FILTER: dict(junos, clear_cache=True)}, {FILTER: ios}])
    assert_ok(first)
    assert_ok(second)
    listed = {entry["search_key"]: entry for entry in second["cached_searches"]}
    assert set(listed) == {first["search_key"], second["search_key"]}
    assert listed[first["search_key"]]["filters"] == {"os": "junos"}
    assert listed[first["search_key"]]["devices"] == len(first["devices"])
    assert 0 < listed[second["search_key"]]["expires_in"] <= 300
    mine = sorted(rconn.scan_iter(match=f"{CACHE_PREFIX}:default:*", count=1000))
    references = [key for key in mine if key.endswith(b":reference")]
    assert len(references) == 1
    # the reference data is cached too; stale entries of another NetBox go as well, another server's stay
    rconn.set(references[0], json.dumps({"sentinel": True}), keepttl=True)
    rconn.set(f"{CACHE_PREFIX}:default:000000000000:reference", "{}", ex=300)
    rconn.set(f"{CACHE_PREFIX}:other:000000000000:reference", "{}", ex=300)
    third = assert_ok(one(env, workdir, FILTER, dict(junos, clear_cache=True)))
    assert third["cache_cleared"] == len(mine) + 1
    assert [entry["search_key"] for entry in third["cached_searches"]] == [first["search_key"]]
    fresh = json.loads(rconn.get(references[0]))
    assert "sentinel" not in fresh and any(site["name"] == "Zürich DC1" for site in fresh["sites"])
    assert not rconn.exists(f"{CACHE_PREFIX}:default:000000000000:reference")
    assert rconn.exists(f"{CACHE_PREFIX}:other:000000000000:reference")
    rconn.delete(f"{CACHE_PREFIX}:other:000000000000:reference")


# Where the worker functions were before module_utils was laid out in subpackages (kept by _job_functions.py).
PREVIOUS_JOB_FUNCTIONS = "ansible_collections.netbox_librenms.sync.plugins.module_utils._job_functions."


def test_a_job_queued_under_the_previous_dotted_path_runs_on_the_new_code(
        estate, workers, services, rconn, sync_search):
    workers.start()
    options = search_args(filters={"os": "junos"}, all_devices=False, server_key="default", timeout=30.0,
                          librenms_url=services["librenms"]["url"], netbox_url=services["netbox"]["url"])
    queue = Queue(_jobs.queue_name("default"), connection=rconn)
    job = queue.enqueue(PREVIOUS_JOB_FUNCTIONS + "search_job", options, job_timeout=600, result_ttl=600,
                        meta={"kind": "search", "phase": "queued", "processed": 0, "total": None, "percent": 0})
    seen = poll(rconn, job.id, lambda info: info["status"] in _jobs.FINAL, timeout=120)
    assert seen[-1]["status"] == "finished", _jobs.error_of(fetch_job(rconn, job.id), with_traceback=True)
    job = fetch_job(rconn, job.id)
    assert job.func_name == PREVIOUS_JOB_FUNCTIONS + "search_job"
    result = _jobs.result_of(job)
    junos = sorted(device["device_id"] for device in sync_search["devices"] if device["os"] == "junos")
    assert junos and sorted(result["device_ids"]) == junos
    assert seen[-1]["progress"]["phase"] == "done"


# --------------------------------------------------------------------------------------------------------------
# Bad input (issue 15): one line naming the option, and nothing queued


def _queued_state(rconn) -> dict:
    """Every job key, every queue's length and every dedupe pointer: what a refused task must leave unchanged."""
    queues = {name: rconn.llen(f"rq:queue:{_jobs.queue_name(name)}") for name in ("high", "default", "low")}
    jobs = sorted(key for key in rconn.scan_iter(match="rq:job:*", count=1000) if b":" not in key[len(b"rq:job:"):])
    pointers = sorted(rconn.scan_iter(match="netbox_librenms:request:*", count=1000))
    return {"queues": queues, "jobs": jobs, "pointers": pointers}


BAD_JOB_OPTIONS = {
    "job_timeout_negative": ({"job_timeout": -1}, "job_timeout must be at least 1 (seconds), got -1"),
    "result_ttl_negative": ({"result_ttl": -1}, "result_ttl must be at least 1 (seconds), got -1"),
    "job_timeout_zero": ({"job_timeout": 0}, "job_timeout must be at least 1 (seconds), got 0"),
    "wait_timeout_negative": ({"wait": True, "wait_timeout": -1}, "wait_timeout must be at least 0 (seconds), got -1"),
    "cache_timeout_zero": ({"cache_timeout": 0}, "cache_timeout must be at least 1 (seconds), got 0"),
    "threshold_negative": ({"background_threshold": -1}, "background_threshold must be at least 0 (devices), got -1"),
    "timeout_zero": ({"timeout": 0}, "timeout must be greater than 0 (seconds), got 0"),
    "concurrency_zero": ({"inventory_concurrency": 0}, "inventory_concurrency must be at least 1 (requests), got 0"),
}


def test_bad_numbers_fail_in_one_line_and_queue_nothing(estate, env, workdir, rconn):
    """background: always with job_timeout -1 used to queue the import, crash on the dedupe pointer's expiry, and
    leave the job to run later."""
    before = _queued_state(rconn)
    cases = sorted(BAD_JOB_OPTIONS)
    small = {"filters": {"os": "junos"}, "all_devices": False, "background": "always"}
    results = run_steps(env, workdir, [{IMPORT: import_args(**small, **BAD_JOB_OPTIONS[case][0])} for case in cases]
                        + [{FILTER: search_args(**small, **BAD_JOB_OPTIONS[case][0])} for case in cases])
    for case, result in zip(cases + cases, results):
        assert_clean_failure(result, BAD_JOB_OPTIONS[case][1])
        assert "\n" not in result["msg"] and len(result["msg"]) < 2000, case
        assert "job" not in result and "created" not in result, case
    assert _queued_state(rconn) == before


def test_bad_job_ids_and_poll_interval_fail_in_one_line(estate, env, workdir, rconn):
    before = _queued_state(rconn)
    steps = [
        {STATUS: {"job_id": "not a job/id"}},
        {STATUS: {"job_id": "x" * 300, "wait": True}},
        {STATUS: {"job_id": "0f0f0f0f-0000-0000-0000-000000000000", "wait": True, "poll_interval": -1}},
        {STATUS: {"job_id": "0f0f0f0f-0000-0000-0000-000000000000", "wait": True, "poll_interval": 0}},
        {IMPORT: import_args(from_job="../../etc/passwd", background="never")},
    ]
    bad_id, long_id, negative, zero, from_job = run_steps(env, workdir, steps)
    assert_clean_failure(bad_id, "job_id 'not a job/id' is not a job id")
    assert_clean_failure(long_id, "is not a job id")
    assert_clean_failure(negative, "poll_interval must be greater than 0 (seconds), got -1")
    assert_clean_failure(zero, "poll_interval must be greater than 0 (seconds), got 0")
    assert_clean_failure(from_job, "from_job '../../etc/passwd' is not a job id")
    for result in (bad_id, long_id, negative, zero, from_job):
        assert "\n" not in result["msg"] and len(result["msg"]) < 2000
    assert "created" not in from_job
    assert _queued_state(rconn) == before


def _with_userinfo(url: str, userinfo: str) -> str:
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{userinfo}@{rest}"


def test_a_password_in_a_url_reaches_no_message_and_no_job(estate, env, workdir, rconn, services):
    """The job keeps the URLs without userinfo; a failure naming a URL masks it."""
    password = "Pw-in-url-7f3a"
    librenms = _with_userinfo(services["librenms"]["url"], f"api:{password}")
    netbox_down = f"http://nb:{password}@127.0.0.1:{_closed_port()}"
    queued, refused, stop = run_steps(env, workdir, [
        {FILTER: search_args(background="always", filters={"os": "junos"}, all_devices=False,
                             librenms_url=librenms)},
        {IMPORT: import_args(background="never", filters={"os": "junos"}, all_devices=False,
                             netbox_url=netbox_down)},
        {STATUS: {"job_id": "{{ r0.job.id }}", "state": "stopped"}},
    ])
    assert_ok(queued)
    job = fetch_job(rconn, queued["job"]["id"])
    assert job.args[0]["librenms_url"] == services["librenms"]["url"]
    assert_clean_failure(refused, "NetBox http://***@127.0.0.1:")
    assert_ok(stop)
    for result in (queued, refused, stop):
        assert password not in json.dumps({key: value for key, value in result.items() if key != "_stdout"})
        assert password not in result["_stdout"]
    assert scan_for(services["redis"]["url"], {"URL password": password})["leaks"] == []
