# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetBox's refusal of a write, reported in NetBox's own words."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pynetbox
import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.netbox_writes import (
    _error_text,
    _is_clash,
    custom_field_kinds,
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
    outcomes = write_in_batches(endpoint, "create", [{"name": n} for n in ("a", "bad", "c", "d")], 3)
    assert endpoint.calls == [["a", "bad", "c"], ["a"], ["bad"], ["c"], ["d"]]
    assert [o.get("error") for o in outcomes] == [None, f"NetBox refused it (400): platform: {PLATFORM}", None, None]
    assert outcomes[1]["exists"] is False


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
