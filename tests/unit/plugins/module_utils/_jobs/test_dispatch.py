# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import fnmatch
from typing import ClassVar, List

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._jobs import dispatch as _background
from ansible_collections.netbox_librenms.sync.plugins.module_utils._pipeline import search_run as _search
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device


class FakeLibreNMS:
    """Counts calls like the real client; every instance is kept so a test sees them all."""

    made: ClassVar[List[FakeLibreNMS]] = []

    def __init__(self, params):
        self.calls = {}
        self.closed = False
        FakeLibreNMS.made.append(self)

    def _count(self, endpoint):
        self.calls[endpoint] = self.calls.get(endpoint, 0) + 1

    def list_devices(self, api_type=None, query=None):
        self._count("list_devices")
        return [normalize_device({"device_id": n, "hostname": f"sw{n}.example.net", "sysName": f"sw{n}",
                                  "os": "ios", "hardware": "WS-C2960X-48FPD-L", "location": "Paris"})
                for n in (1, 2, 3)]

    def inventories(self, device_ids, concurrency=4, on_done=None, on_error=None):
        for _device_id in device_ids:
            self._count("inventory_all")
        return {device_id: [] for device_id in device_ids}

    def close(self):
        self.closed = True


class FakeNetBox:
    requests_made = 0
    writes_made = 0

    def __init__(self, params):
        pass

    def reference_data(self):
        self.requests_made += 1
        return {}

    def existing_objects(self):
        self.requests_made += 1
        return {"devices": [], "vms": []}


class FakeRedis:
    """The few Redis calls the result cache makes."""

    def __init__(self):
        self.data = {}

    def pipeline(self, transaction=False):
        return self

    def execute(self):
        return []

    def setex(self, key, ttl, value):
        self.data[key] = value

    def get(self, key):
        return self.data.get(key)

    def scan_iter(self, match="*", count=None):
        return [key.encode() for key in self.data if fnmatch.fnmatchcase(key, match)]

    def ttl(self, key):
        return 300


@pytest.fixture()
def fakes(monkeypatch):
    FakeLibreNMS.made = []
    monkeypatch.setattr(_search, "librenms_client", FakeLibreNMS)
    monkeypatch.setattr(_background, "librenms_client", FakeLibreNMS)
    monkeypatch.setattr(_search, "netbox_access", FakeNetBox)
    redis = FakeRedis()
    monkeypatch.setattr(_background, "_redis_if_any", lambda params: (redis, []))
    return FakeLibreNMS.made


def test_search_under_the_background_threshold_lists_librenms_once(fakes):
    """The candidates counted to decide on a background job are the ones searched (one list call, all counted)."""
    result = _background.dispatch_search({"all_devices": True, "vc_detection": True, "background": "auto",
                                          "background_threshold": 50, "netbox_url": "https://netbox"})
    assert sum(client.calls.get("list_devices", 0) for client in fakes) == 1
    assert result["api_calls"]["librenms"] == {"list_devices": 1, "inventory_all": 3}
    assert result["summary"]["total"] == 3
    assert all(client.closed for client in fakes)


def test_search_without_redis_lists_once_with_its_own_client(fakes, monkeypatch):
    monkeypatch.setattr(_background, "_redis_if_any", lambda params: (None, []))
    result = _background.dispatch_search({"all_devices": True, "background": "auto"})
    assert len(fakes) == 1 and fakes[0].closed
    assert result["api_calls"]["librenms"] == {"list_devices": 1}


# Port 1 is closed on any test host: were Redis asked first, the message would be "background: always needs Redis".
CLOSED_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize("option", ["job_timeout", "result_ttl", "wait_timeout", "background_threshold",
                                    "cache_timeout", "inventory_concurrency", "timeout"])
@pytest.mark.parametrize("dispatch", ["search", "import"])
def test_a_negative_number_is_refused_before_redis_librenms_or_netbox(option, dispatch):
    params = {"all_devices": True, "background": "always", "redis_url": CLOSED_REDIS, option: -1}
    with pytest.raises(_background.LibrenmsSyncError) as raised:
        if dispatch == "search":
            _background.dispatch_search(params)
        else:
            _background.dispatch_import(params, check_mode=False, diff=False)
    assert raised.value.msg.startswith(f"{option} must be ")
    assert raised.value.msg.endswith("got -1") and "Redis" not in raised.value.msg


def test_a_malformed_from_job_is_named_before_redis():
    params = {"from_job": "../etc", "background": "always", "redis_url": CLOSED_REDIS}
    with pytest.raises(_background.LibrenmsSyncError, match=r"^from_job '\.\./etc' is not a job id"):
        _background.dispatch_import(params, check_mode=False, diff=False)


@pytest.mark.parametrize(("given", "seconds"), [(None, 3600.0), (0, 0.0), (15, 15.0)])
def test_wait_timeout_zero_is_kept_not_read_as_unset(given, seconds):
    assert _background.wait_timeout({"wait_timeout": given}) == seconds


def test_a_bad_devices_entry_is_refused_before_a_job_is_queued(fakes):
    # fakes' Redis cannot queue: reaching the queue would fail with an AttributeError, not this message.
    with pytest.raises(_background.LibrenmsSyncError, match=r"^devices: a row has device_id 'abc', which is not a"):
        _background.dispatch_import({"devices": [{"device_id": "abc"}], "background": "always"},
                                    check_mode=False, diff=False)


@pytest.mark.parametrize("dispatch", ["search", "import"])
def test_a_non_boolean_as_vm_is_refused_before_anything_is_queued(fakes, dispatch):
    params = {"devices": [1], "background": "always", "selections": {"1": {"as_vm": "perhaps"}}}
    with pytest.raises(_background.LibrenmsSyncError, match=r"selections\.1\.as_vm must be true or false"):
        if dispatch == "search":
            _background.dispatch_search(dict(params, devices=None, all_devices=True))
        else:
            _background.dispatch_import(params, check_mode=False, diff=False)


@pytest.mark.parametrize("options, named", [
    ({"from_job": "abc", "background": "never"}, "from_job needs redis_url"),
    ({"from_job": "bad id!"}, "from_job"),
    ({"all_devices": True, "exclude_fields": ["colour"], "background": "never"}, "exclude_fields"),
    ({"all_devices": True, "batch_size": 0, "background": "never"}, "batch_size"),
])
def test_sync_refuses_bad_options_before_any_connection(options, named):
    with pytest.raises(_background.LibrenmsSyncError, match=named):
        _background.dispatch_sync(options, check_mode=False, diff=False)


@pytest.mark.parametrize("dispatch", ["search", "import"])
def test_redis_going_away_mid_task_is_one_line_with_the_url_masked(fakes, monkeypatch, dispatch):
    """Redis answered the first ping, then stopped while the job was queued or waited for."""
    import redis

    def gone(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:56379. Connection refused.")

    monkeypatch.setattr(_background, "_queue_or_not", lambda *args: (True, []))
    monkeypatch.setattr(_background, "enqueue", gone)
    params = {"devices": [1], "background": "always", "wait": True,
              "redis_url": "redis://:s3cret@127.0.0.1:56379/2"}
    with pytest.raises(_background.LibrenmsSyncError) as raised:
        if dispatch == "search":
            _background.dispatch_search(params)
        else:
            _background.dispatch_import(params, check_mode=False, diff=False)
    assert raised.value.msg.startswith("Redis unreachable at redis://***@127.0.0.1:56379/2: ConnectionError")
