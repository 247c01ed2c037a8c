# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetBox's refusal of a write, reported in NetBox's own words."""

from __future__ import annotations

import json
import threading
import time
from types import SimpleNamespace

import pynetbox
import pytest
import requests
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    _error_text,
    _is_clash,
    counted_rows,
    custom_field_kinds,
    plan_batches,
    write_in_batches,
)

PLATFORM = "The assigned platform is limited to Acme device types, but this device's type belongs to Cisco."


def refusal(body, status=400) -> pynetbox.RequestError:
    text = json.dumps(body)
    response = SimpleNamespace(status_code=status, reason="Bad Request", url="http://nb/api/dcim/devices/",
                               text=text, json=lambda: json.loads(text), request=SimpleNamespace(body=b"[]"))
    return pynetbox.RequestError(response)


@pytest.mark.parametrize("body", [
    {"platform": [PLATFORM]},  # one object
    [{}, {"platform": [PLATFORM]}],  # a list of objects (older NetBox)
    # NetBox 4.7 bulk answer, also for a list of one object
    {"detail": "1 of 1 objects could not be created.", "errors": [{"index": 0, "errors": {"platform": [PLATFORM]}}]},
])
def test_refusal_is_netbox_own_words(body):
    assert _error_text(refusal(body)) == f"NetBox refused it (400): platform: {PLATFORM}"


def test_bulk_answer_without_object_errors_keeps_the_detail():
    body = {"detail": "Bulk create failed.", "errors": []}
    assert _error_text(refusal(body)) == "NetBox refused it (400): detail: Bulk create failed.; errors: "


def test_uniqueness_clash_in_a_bulk_answer_reads_as_exists():
    body = {"detail": "1 of 1 objects could not be created.",
            "errors": [{"index": 0, "errors": {"__all__": ["Device name must be unique per site."]}}]}
    text = _error_text(refusal(body))
    assert text == "NetBox refused it (400): __all__: Device name must be unique per site."
    assert _is_clash(text)


class FakeEndpoint:
    """Refuses every batch holding a payload named "bad" (as NetBox would, atomically)."""

    def __init__(self):
        self.calls = []

    def create(self, body):
        self.calls.append([item["name"] for item in body])
        if any(item["name"] == "bad" for item in body):
            raise refusal({"detail": f"1 of {len(body)} objects could not be created.",
                           "errors": [{"index": 0, "errors": {"platform": [PLATFORM]}}]})
        return [SimpleNamespace(id=index, url=f"u{index}") for index, _item in enumerate(body)]


def test_rejected_batch_is_retried_one_by_one_and_only_the_bad_object_fails():
    endpoint = FakeEndpoint()
    outcomes = write_in_batches(endpoint, "create", [{"name": n} for n in ("a", "bad", "c", "d")], 3, concurrency=1)
    assert endpoint.calls == [["a", "bad", "c"], ["a"], ["bad"], ["c"], ["d"]]
    assert [o.get("error") for o in outcomes] == [None, f"NetBox refused it (400): platform: {PLATFORM}", None, None]
    assert outcomes[1]["exists"] is False


class DeadlockingEndpoint:
    """Refuses the first `deadlocks` requests as NetBox does when PostgreSQL aborts a deadlocked transaction."""

    def __init__(self, deadlocks):
        self.deadlocks = deadlocks
        self.calls = []

    def create(self, body):
        self.calls.append([item["name"] for item in body])
        if len(self.calls) <= self.deadlocks:
            raise refusal({"error": "deadlock detected\nDETAIL:  Process 4140 waits for ShareLock on transaction "
                                    "15580; blocked by process 4139.", "exception": "OperationalError"}, status=500)
        return [SimpleNamespace(id=index, url=None) for index, _item in enumerate(body)]


@pytest.mark.parametrize(("deadlocks", "calls"), [(1, 2), (2, 3), (3, 2 + 1 + 2)])
def test_a_deadlocked_batch_is_sent_again_whole_then_object_by_object(deadlocks, calls):
    endpoint = DeadlockingEndpoint(deadlocks)
    outcomes = write_in_batches(endpoint, "create", [{"name": "a"}, {"name": "b"}], 10)
    assert len(endpoint.calls) == calls
    assert endpoint.calls[:min(deadlocks + 1, 3)] == [["a", "b"]] * min(deadlocks + 1, 3)
    assert all("id" in outcome for outcome in outcomes)


class SlowEndpoint:
    """Answers each batch after a delay given by its first name; records what was in flight at once."""

    def __init__(self, delays, fail=()):
        self.delays = delays
        self.fail = set(fail)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.sent = []
        self.next_id = 1

    def create(self, body):
        names = [item["name"] for item in body]
        with self.lock:
            self.sent.append(names)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.delays.get(names[0], 0.01))
            if self.fail & set(names):
                if len(names) > 1:
                    raise refusal({"detail": "refused", "errors": [{"index": 0, "errors": {"name": ["bad"]}}]})
                raise refusal({"name": ["bad name"]})
            with self.lock:
                first, self.next_id = self.next_id, self.next_id + len(names)
            return [SimpleNamespace(id=first + index, url=None, name=name) for index, name in enumerate(names)]
        finally:
            with self.lock:
                self.in_flight -= 1


def test_concurrent_batches_keep_the_payload_order_and_the_bound():
    # the first batch answers last: its outcomes still come first
    endpoint = SlowEndpoint({"n0": 0.3})
    names = [f"n{i}" for i in range(10)]
    outcomes = write_in_batches(endpoint, "create", [{"name": n} for n in names], 2, concurrency=3)
    assert endpoint.most_in_flight == 3
    assert sorted(map(tuple, endpoint.sent)) == sorted(tuple(names[i:i + 2]) for i in range(0, 10, 2))
    assert len({o["id"] for o in outcomes}) == 10
    ids_of_first_batch = [o["id"] for o in outcomes[:2]]
    assert ids_of_first_batch == sorted(ids_of_first_batch) and max(ids_of_first_batch) > outcomes[2]["id"]


def test_a_rejected_batch_among_concurrent_ones_fails_only_its_bad_object_and_nothing_is_sent_twice():
    endpoint = SlowEndpoint({}, fail={"n5"})
    names = [f"n{i}" for i in range(8)]
    outcomes = write_in_batches(endpoint, "create", [{"name": n} for n in names], 3, concurrency=4)
    assert [bool(o.get("error")) for o in outcomes] == [n == "n5" for n in names]
    created = [name for batch in endpoint.sent for name in batch if batch != ["n3", "n4", "n5"]]
    assert sorted(created) == sorted(set(created))  # each object that was created was sent in one request
    assert ["n3", "n4", "n5"] in endpoint.sent and ["n3"] in endpoint.sent and ["n5"] in endpoint.sent


def test_a_network_error_is_not_retried():
    class Lost:
        calls = 0

        def create(self, body):
            Lost.calls += 1
            raise requests.exceptions.ConnectionError("reset")

    outcomes = write_in_batches(Lost(), "create", [{"name": n} for n in "abcd"], 2, concurrency=2)
    assert Lost.calls == 2  # two batches, each sent once: NetBox may have applied them
    assert {o["error"] for o in outcomes} == {"NetBox could not be reached (ConnectionError)"}


def test_a_stop_at_a_progress_point_sends_no_further_batch():
    endpoint = SlowEndpoint({})
    points = []

    class Halted(Exception):
        pass

    def on_batch(done, total):
        points.append((done, total))
        if len(points) == 2:
            raise Halted

    with pytest.raises(Halted):
        write_in_batches(endpoint, "create", [{"name": f"n{i}"} for i in range(20)], 2, on_batch, concurrency=2)
    # two batches ended, the one still in flight at the stop ended too; none was sent after the stop
    assert len(endpoint.sent) <= 3
    assert points[-1][1] == 20


class FakeNetBoxReads:
    """What custom_field_kinds reads through: NetBoxAccess.list_all."""

    def __init__(self, fields):
        self.fields = fields
        self.calls = []

    def list_all(self, app, endpoint, fields=None, **filters):
        self.calls.append((app, endpoint, fields, filters))
        return self.fields


def test_custom_field_kinds_reads_the_field_through_netbox_access():
    absent = FakeNetBoxReads([])
    assert custom_field_kinds(absent) is None
    assert absent.calls == [("extras", "custom_fields", "id,name,object_types", {"name": "librenms_id"})]
    devices_only = FakeNetBoxReads([{"id": 1, "name": "librenms_id", "object_types": ["dcim.device"]}])
    assert custom_field_kinds(devices_only) == {"device"}
    both = FakeNetBoxReads([{"id": 1, "name": "librenms_id",
                             "object_types": ["virtualization.virtualmachine", "dcim.device", "dcim.site"]}])
    assert custom_field_kinds(both) == {"device", "vm"}


def devices(*types):
    return [{"name": f"d{index}", "device_type": device_type} for index, device_type in enumerate(types)]


def test_payloads_go_in_the_order_of_their_counter_rows_one_lock_order_for_every_worker():
    batches = plan_batches(devices(3, 1, 2, 1, 3, 2), 4, concurrency=1)
    assert [batch["positions"] for batch in batches] == [[1, 3, 2, 5], [0, 4]]
    assert batches[0]["rows"] == {("device_type", 1), ("device_type", 2)}


def test_with_batches_in_flight_together_a_group_stays_in_one_batch_where_it_fits():
    batches = plan_batches(devices(1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3), 4, concurrency=2)
    assert [len(batch["positions"]) for batch in batches] == [2, 3, 4, 3]
    assert [sorted(row[1] for row in batch["rows"]) for batch in batches] == [[1], [2], [3], [3]]


def test_objects_without_a_counter_row_keep_their_order_and_batch_size():
    payloads = [{"name": f"ip{index}", "address": f"10.0.0.{index}/24"} for index in range(5)]
    assert [batch["positions"] for batch in plan_batches(payloads, 2, concurrency=3)] == [[0, 1], [2, 3], [4]]
    assert counted_rows({"device": True, "virtual_machine": 7}) == (("virtual_machine", 7),)


class RowLockingEndpoint(SlowEndpoint):
    """Records which device types were in flight together."""

    def __init__(self, types):
        super().__init__({})
        self.types = types
        self.flying = []
        self.name_of = {}

    def create(self, body):
        with self.lock:
            self.flying.append({self.types[item["name"]] for item in body})
            overlap = sum(len(types) for types in self.flying) != len(set().union(*self.flying))
        try:
            assert not overlap, "two batches sharing a device type were in flight at once"
            records = super().create(body)
            self.name_of.update((record.id, record.name) for record in records)
            return records
        finally:
            with self.lock:
                self.flying.remove({self.types[item["name"]] for item in body})


def test_batches_sharing_a_device_type_are_never_in_flight_together_and_outcomes_keep_the_payload_order():
    payloads = devices(*[index % 3 for index in range(30)])
    endpoint = RowLockingEndpoint({payload["name"]: payload["device_type"] for payload in payloads})
    outcomes = write_in_batches(endpoint, "create", payloads, 4, concurrency=3)
    assert all("id" in outcome for outcome in outcomes)
    assert [endpoint.name_of[outcome["id"]] for outcome in outcomes] == [payload["name"] for payload in payloads]
    assert endpoint.most_in_flight == 3
