"""Cable rules: both directions once, free ends only, no cable on virtual or LAG."""

from __future__ import annotations

from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.cables import cable_action, unique_links


def test_two_directions_are_one_cable_and_unresolved_are_reported():
    links = [{"a": 1, "b": 2}, {"a": 2, "b": 1}, {"a": 3, "b": None}]

    def resolve(link):
        return (link["a"], link["b"], None) if link["b"] else (None, None, "unknown neighbour")

    pairs, unresolved = unique_links(links, resolve)
    assert list(pairs.values()) == [(1, 2)]
    assert unresolved == [{"link": {"a": 3, "b": None}, "reason": "unknown neighbour"}]


def end(cable=None, kind="1000base-t", name="Gi1/0/1"):
    return {"type": kind, "cable": cable, "name": name}


def test_cable_actions():
    assert cable_action(end(), end()) == ("create", None)
    assert cable_action(end(cable=4), end(cable=4)) == ("unchanged", None)
    action, reason = cable_action(end(cable=4, name="Gi1"), end())
    assert action == "conflict" and "Gi1 already cabled elsewhere" in reason
    assert cable_action(end(kind="lag"), end())[0] == "skip"
    assert cable_action(end(kind="virtual"), end())[0] == "skip"
    assert cable_action(dict(end(), vm=True), end())[0] == "skip"
