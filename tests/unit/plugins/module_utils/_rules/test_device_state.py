# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import (
    STATUSES,
    apply_choice,
    build_device_state,
    mark_duplicate_names,
    merge_choice,
    selection_for,
    sort_states,
    status_counts,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import build_existing_index
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    build_reference_index,
    validate_maps,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import detect_virtual_chassis
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import (
    normalize_device,
    normalize_inventory,
)

CISCO = {"id": 1, "name": "Cisco", "slug": "cisco"}
INDEX = build_reference_index({
    "sites": [{"id": 10, "name": "Paris DC1", "slug": "paris-dc1"}, {"id": 11, "name": "Lyon", "slug": "lyon"}],
    "device_types": [
        {"id": 100, "model": "Catalyst 2960X-48FPD-L", "slug": "c2960x-48fpd-l", "part_number": "WS-C2960X-48FPD-L",
         "manufacturer": CISCO},
        {"id": 101, "model": "C9300-48P", "slug": "c9300-48p", "part_number": "", "manufacturer": CISCO},
        {"id": 103, "model": "Generic", "slug": "generic-a", "part_number": "GEN", "manufacturer": CISCO},
        {"id": 104, "model": "Generic", "slug": "generic-b", "part_number": "GEN", "manufacturer": CISCO},
    ],
    "platforms": [{"id": 200, "name": "ios", "slug": "ios"}],
    "roles": [
        {"id": 300, "name": "Access", "slug": "access", "vm_role": False},
        {"id": 302, "name": "Server", "slug": "server", "vm_role": True},
    ],
    "racks": [{"id": 400, "name": "R01", "site": {"id": 10, "name": "Paris DC1"}},
              {"id": 401, "name": "L01", "site": {"id": 11, "name": "Lyon"}}],
    "clusters": [{"id": 500, "name": "vmware-paris"}],
})
EMPTY = build_existing_index([], [], "default")
STATE_KEYS = {
    "status", "device_id", "hostname", "sysname", "name", "import_as", "issues", "review", "warnings",
    "site", "device_type", "platform", "role", "rack", "cluster", "existing", "virtual_chassis",
    "os", "hardware", "serial", "ip", "location", "type", "librenms_status", "disabled", "ignore",
}


def options(**extra):
    base = {"server_key": "default", "use_sysname": True, "strip_domain": False, "site_map": {},
            "device_type_map": {}, "platform_map": {}, "role": "access", "role_rules": [],
            "vc_member_name_pattern": "-M{position}"}
    base.update(extra)
    return validate_maps(base, INDEX)


OPTIONS = options()


def device(**fields):
    row = {"device_id": 12, "hostname": "sw1.paris.example.net", "sysName": "sw1", "os": "ios",
           "hardware": "WS-C2960X-48FPD-L", "location": "Paris DC1", "type": "network", "serial": "FOC1",
           "ip": "10.0.0.12", "status": 1, "community": "public"}
    row.update(fields)
    return normalize_device(row)


def state(dev=None, opts=None, selection=None, existing=None, **kwargs):
    return build_device_state(dev or device(), INDEX, existing or EMPTY, opts or OPTIONS, selection, **kwargs)


def stack_inventory(*serials, models=None):
    rows = [{"entPhysicalIndex": 1, "entPhysicalClass": "stack", "entPhysicalName": "Stack",
             "entPhysicalContainedIn": 0}]
    for number, serial in enumerate(serials, start=1):
        rows.append({"entPhysicalIndex": number * 1000, "entPhysicalClass": "chassis",
                     "entPhysicalName": f"Switch {number}", "entPhysicalContainedIn": 1,
                     "entPhysicalParentRelPos": number, "entPhysicalSerialNum": serial,
                     "entPhysicalModelName": (models or {}).get(number, "WS-C2960X-48FPD-L")})
    return normalize_inventory(rows)


# --- ready and the state's shape --------------------------------------------------------------

def test_ready_device_and_exact_shape():
    result = state()
    assert set(result) == STATE_KEYS
    assert result["status"] == "ready"
    assert result["name"] == "sw1"
    assert result["import_as"] == "device"
    assert result["site"] == {"id": 10, "name": "Paris DC1", "matched_by": "name"}
    assert result["device_type"] == {"id": 100, "name": "Catalyst 2960X-48FPD-L", "matched_by": "part_number"}
    assert result["platform"] == {"id": 200, "name": "ios", "matched_by": "name"}
    assert result["role"] == {"id": 300, "name": "Access", "matched_by": "role"}
    assert (result["rack"], result["cluster"], result["existing"], result["virtual_chassis"]) == (None,) * 4
    assert (result["issues"], result["review"], result["warnings"]) == ([], [], [])
    assert (result["os"], result["hardware"], result["serial"], result["ip"]) == (
        "ios", "WS-C2960X-48FPD-L", "FOC1", "10.0.0.12")
    assert (result["location"], result["type"]) == ("Paris DC1", "network")
    assert (result["librenms_status"], result["disabled"], result["ignore"]) == (True, False, False)


def test_statuses():
    assert STATUSES == ("ready", "needs_review", "blocked", "exists", "conflict")


def test_raw_options_are_validated_on_the_fly():
    raw = {"role": "access", "server_key": "default"}
    assert build_device_state(device(), INDEX, EMPTY, raw)["status"] == "ready"
    with pytest.raises(LibrenmsSyncError, match="site_map"):
        build_device_state(device(), INDEX, EMPTY, {"site_map": {"x": "nowhere"}})


def test_unknown_selection_key_raises():
    with pytest.raises(LibrenmsSyncError, match="Unknown selection key site"):
        state(selection={"site": "Lyon"})


def test_naming_options_apply():
    assert state(opts=options(use_sysname=False))["name"] == "sw1.paris.example.net"
    assert state(opts=options(use_sysname=False, strip_domain=True))["name"] == "sw1"
    assert state(opts=options(use_sysname=None))["name"] == "sw1"
    assert state(selection={"name": " edge-sw1 "})["name"] == "edge-sw1"


def test_missing_platform_is_only_a_warning():
    result = state(device(os="routeros"))
    assert result["status"] == "ready"
    assert result["warnings"] == ["no NetBox platform matches os 'routeros'; add it to platform_map"]


# --- blocked --------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "expected"), [
    ({"location": ""}, "LibreNMS gives no location"),
    ({"location": "Nowhere"}, "no NetBox site matches location 'Nowhere': add it to site_map"),
    ({"hardware": ""}, "no hardware"),
    ({"hardware": "WS-C9999"}, "no NetBox device type has part number or model 'WS-C9999'"),
    ({"hardware": "GEN"}, "matches 2 NetBox device types by part number"),
])
def test_blocking_rules(fields, expected):
    result = state(device(**fields))
    assert result["status"] == "blocked"
    assert any(expected in issue for issue in result["issues"]), result["issues"]


def test_long_name_blocks_with_a_suggestion():
    long_name = "access-switch-building-a-floor-3-room-12.campus-north.paris.example.net"
    result = state(device(sysName=long_name, hostname=long_name))
    assert result["status"] == "blocked"
    assert result["issues"] == [
        f"name {long_name!r} is {len(long_name)} characters long and NetBox allows 64: set selections.12.name "
        "(for example 'access-switch-building-a-floor-3-room-12')"]
    renamed = state(device(sysName=long_name), selection={"name": "bldg-a-f3-r12"})
    assert renamed["status"] == "ready"


def test_unicode_name_of_64_characters_is_ready():
    result = state(device(sysName="ü" * 64))
    assert result["status"] == "ready"
    assert result["name"] == "ü" * 64


def test_rack_must_be_in_the_site():
    assert state(selection={"rack": "R01"})["rack"] == {"id": 400, "name": "R01", "matched_by": "selection"}
    result = state(selection={"rack": "L01"})
    assert result["status"] == "blocked"
    assert "rack 'L01' is not in site 'Paris DC1' (it is in site 'Lyon')" in result["issues"]


def test_unknown_rack_cluster_and_role_block():
    assert "rack 'R77' does not exist in NetBox" in state(selection={"rack": "R77"})["issues"]
    vm = state(selection={"as_vm": True, "cluster": "hyperv"})
    assert vm["status"] == "blocked"
    assert any("cluster 'hyperv'" in issue for issue in vm["issues"])
    assert state(selection={"role": "nope"})["status"] == "blocked"


# --- needs_review ---------------------------------------------------------------------------

def test_missing_role_needs_review():
    result = state(opts=options(role=None))
    assert result["status"] == "needs_review"
    assert result["review"] == ["no role: set role, add a role_rules entry or set selections.12.role"]
    assert result["issues"] == []


def test_blocked_wins_over_needs_review():
    result = state(device(location="Nowhere"), opts=options(role=None))
    assert result["status"] == "blocked"
    assert result["review"]


def test_role_rule_gives_the_role():
    opts = options(role=None, role_rules=[{"match": {"hardware": "2960"}, "role": "access"}])
    assert state(opts=opts)["role"]["matched_by"] == "role_rules[0]"


# --- virtual machines -----------------------------------------------------------------------

def test_vm_without_cluster_needs_review_and_has_no_device_parts():
    result = state(device(location="", hardware=""), selection={"as_vm": True})
    assert result["status"] == "needs_review"
    assert result["import_as"] == "vm"
    assert result["review"] == ["a VM needs a cluster: set selections.12.cluster"]
    assert (result["site"], result["device_type"], result["rack"]) == (None, None, None)


def test_vm_with_cluster_is_ready_without_a_role():
    result = state(device(location=""), opts=options(role=None), selection={"as_vm": "yes", "cluster": 500})
    assert result["status"] == "ready"
    assert result["cluster"] == {"id": 500, "name": "vmware-paris", "matched_by": "selection"}
    assert result["role"] is None


def test_vm_drops_a_default_role_that_is_not_a_vm_role():
    result = state(selection={"as_vm": True, "cluster": "vmware-paris"})
    assert result["status"] == "ready"
    assert result["role"] is None
    assert "role 'Access' does not allow virtual machines (vm_role is off); the VM is imported without a role" \
        in result["warnings"]


def test_vm_blocks_on_a_chosen_role_that_is_not_a_vm_role_and_keeps_a_vm_role():
    assert state(selection={"as_vm": True, "cluster": 500, "role": "access"})["status"] == "blocked"
    assert state(selection={"as_vm": True, "cluster": 500, "role": "server"})["role"]["id"] == 302


def test_vm_ignores_rack_and_device_ignores_cluster_with_warnings():
    vm = state(selection={"as_vm": True, "cluster": 500, "rack": "R01"})
    assert "selections.12.rack is ignored for a VM" in vm["warnings"]
    dev = state(selection={"cluster": 500})
    assert dev["import_as"] == "device"
    assert "selections.12.cluster is only used with as_vm: true" in dev["warnings"]


# --- virtual chassis ------------------------------------------------------------------------

def test_stack_with_a_master_is_ready_with_member_names():
    dev = device(serial="FOC2")
    vc = detect_virtual_chassis(dev, stack_inventory("FOC1", "FOC2", "FOC3"))
    result = state(dev, vc=vc)
    assert result["status"] == "ready"
    assert result["virtual_chassis"] == {
        "kind": "stack", "master_position": 2,
        "members": [
            {"position": 1, "serial": "FOC1", "model": "WS-C2960X-48FPD-L", "name": "sw1-M1", "is_master": False},
            {"position": 2, "serial": "FOC2", "model": "WS-C2960X-48FPD-L", "name": "sw1-M2", "is_master": True},
            {"position": 3, "serial": "FOC3", "model": "WS-C2960X-48FPD-L", "name": "sw1-M3", "is_master": False},
        ]}


def test_stack_without_master_needs_review_naming_the_serials():
    dev = device(serial="JAE221700LC")
    vc = detect_virtual_chassis(dev, stack_inventory("FXS1", "FXS2"))
    result = state(dev, vc=vc)
    assert result["status"] == "needs_review"
    assert result["virtual_chassis"]["master_position"] is None
    message = result["review"][0]
    assert "FXS1 (position 1), FXS2 (position 2)" in message
    assert "set selections.12.vc_master to a serial or a position" in message


def test_vc_master_selection_resolves_the_review():
    dev = device(serial="JAE221700LC")
    vc = detect_virtual_chassis(dev, stack_inventory("FXS1", "FXS2"))
    result = state(dev, vc=vc, selection={"vc_master": "fxs2"})
    assert result["status"] == "ready"
    assert result["virtual_chassis"]["master_position"] == 2
    assert state(dev, vc=vc, selection={"vc_master": 1})["virtual_chassis"]["master_position"] == 1


def test_vc_master_selection_matching_nothing_blocks():
    dev = device(serial="JAE221700LC")
    vc = detect_virtual_chassis(dev, stack_inventory("FXS1", "FXS2"))
    result = state(dev, vc=vc, selection={"vc_master": "FXS9"})
    assert result["status"] == "blocked"
    assert result["issues"][0].startswith("selections.12.vc_master: vc_master 'FXS9' matches no member")


def test_serial_pattern_with_a_null_member_serial_blocks():
    dev = device(serial="FOC1")
    vc = detect_virtual_chassis(dev, stack_inventory("FOC1", None))
    result = state(dev, opts=options(vc_member_name_pattern="{master_name}-{serial}"), vc=vc)
    assert result["status"] == "blocked"
    assert any("position 2 has none" in issue for issue in result["issues"])


def test_member_name_over_64_characters_blocks():
    dev = device(serial="FOC1", sysName="s" * 62)
    vc = detect_virtual_chassis(dev, stack_inventory("FOC1", "FOC2"))
    result = state(dev, vc=vc)
    assert result["status"] == "blocked"
    assert any("member name" in issue and "longer than 64" in issue for issue in result["issues"])


def test_master_model_is_tried_for_the_device_type():
    dev = device(serial="FOC2", hardware="Cisco Catalyst 93xx Stack")
    vc = detect_virtual_chassis(dev, stack_inventory("FOC1", "FOC2", models={1: "C9300-24T", 2: "C9300-48P"}))
    result = state(dev, vc=vc)
    assert result["device_type"] == {"id": 101, "name": "C9300-48P", "matched_by": "chassis_model"}


def test_standalone_chassis_model_is_tried_for_the_device_type():
    result = state(device(hardware="Catalyst 9300"), chassis_model="C9300-48P")
    assert result["status"] == "ready"
    assert result["device_type"]["matched_by"] == "chassis_model"


def test_vm_does_not_create_the_stack():
    dev = device(serial="FOC1")
    vc = detect_virtual_chassis(dev, stack_inventory("FOC1", "FOC2"))
    result = state(dev, vc=vc, selection={"as_vm": True, "cluster": 500})
    assert result["virtual_chassis"] is None
    assert "the stack detected in the inventory is not created for a VM" in result["warnings"]


# --- existing objects and precedence --------------------------------------------------------

def test_existing_agreement_is_exists_even_when_blocked():
    existing = build_existing_index([{"id": 7, "name": "sw1", "url": "u", "serial": "FOC1"}], [], "default")
    result = state(device(location="Nowhere"), existing=existing)
    assert result["status"] == "exists"
    assert result["existing"] == {"id": 7, "name": "sw1", "url": "u", "kind": "device", "match": "name",
                                  "conflict": None}
    assert result["issues"]


def test_conflict_wins_over_everything():
    existing = build_existing_index([{"id": 7, "name": "other", "url": "u", "serial": "FOC1"}], [], "default")
    result = state(existing=existing)
    assert result["status"] == "conflict"
    assert result["existing"]["conflict"] == "serial FOC1 already belongs to NetBox device 'other'"


def test_server_key_selects_the_librenms_id():
    nb = [{"id": 7, "name": "renamed", "url": "u", "custom_fields": {"librenms_id": {"lab": 12}}}]
    assert state(existing=build_existing_index(nb, [], "lab"), opts=options(server_key="lab"))["status"] == "exists"
    assert state(existing=build_existing_index(nb, [], "default"))["status"] == "ready"


def test_a_device_netbox_holds_as_a_vm_is_a_vm_row_without_device_checks():
    vm = {"id": 9, "name": "sw1", "url": "u", "cluster": {"id": 500, "name": "vmware-paris"},
          "custom_fields": {"librenms_id": {"default": 12}}}
    # a hardware no device type matches: as a device this would be blocked on its device type
    result = state(device(hardware="VMware Virtual Platform"), existing=build_existing_index([], [vm], "default"))
    assert (result["status"], result["import_as"]) == ("exists", "vm")
    assert result["device_type"] is None and result["site"] is None
    assert not [note for note in result["issues"] if "device type" in note]
    assert result["cluster"]["id"] == 500 and result["review"] == []


@pytest.mark.parametrize("server_key", ["default", "lab"])
def test_a_legacy_bare_id_is_never_ready(server_key):
    nb = [{"id": 7, "name": "renamed", "url": "u", "custom_fields": {"librenms_id": 12}}]
    result = state(existing=build_existing_index(nb, [], server_key), opts=options(server_key=server_key))
    assert result["status"] in ("needs_review", "exists")
    if server_key == "default":  # the plugin wrote bare ids when only the default server existed
        assert any(w.startswith("legacy id to migrate: NetBox device 'renamed' holds the bare librenms_id 12")
                   for w in result["warnings"])
    else:
        (review,) = result["review"]
        assert review.startswith("legacy id: which server? NetBox device 'renamed' holds the bare librenms_id 12")
        assert "migrate_legacy_ids: true" in review


def test_migrate_legacy_ids_links_the_bare_id_under_any_key():
    nb = [{"id": 7, "name": "renamed", "url": "u", "custom_fields": {"librenms_id": 12}}]
    result = state(existing=build_existing_index(nb, [], "lab"),
                   opts=options(server_key="lab", migrate_legacy_ids=True))
    assert result["status"] == "exists" and result["existing"]["match"] == "legacy_id"
    assert any(w.startswith("legacy id to migrate") for w in result["warnings"])


def test_drift_warnings_on_a_linked_device():
    nb = [{"id": 7, "name": "old-name", "url": "u", "serial": "FOC-OLD", "device_type": {"id": 101},
           "custom_fields": {"librenms_id": {"default": 12}}}]
    result = state(existing=build_existing_index(nb, [], "default"))
    assert result["status"] == "exists"
    warnings = [w for w in result["warnings"] if not w.startswith("no NetBox platform")]
    assert warnings == [
        "serial changed: NetBox device 'old-name' has 'FOC-OLD', LibreNMS now reports 'FOC1'; the hardware may have "
        "been replaced",
        "name differs: NetBox device 'old-name' would be named 'sw1' now",
        "device type differs: NetBox device 'old-name' is a 'C9300-48P', LibreNMS hardware 'WS-C2960X-48FPD-L' "
        "matches 'Catalyst 2960X-48FPD-L'",
    ]


def test_no_drift_warning_when_the_linked_device_agrees_or_stands_in_a_chassis():
    nb = [{"id": 7, "name": "sw1", "url": "u", "serial": "FOC1", "device_type": {"id": 100},
           "custom_fields": {"librenms_id": {"default": 12}}},
          {"id": 8, "name": "sw2-M1", "url": "u", "serial": "FOC2", "device_type": 100, "virtual_chassis": {"id": 3},
           "custom_fields": {"librenms_id": {"default": 13}}}]
    index = build_existing_index(nb, [], "default")
    assert state(existing=index)["warnings"] == []
    assert state(device(device_id=13, sysName="sw2", serial="FOC2"), existing=index)["warnings"] == []


# --- selections and choices -----------------------------------------------------------------

def test_selection_for_accepts_int_text_and_hostname_keys():
    dev = device()
    assert selection_for(dev, {12: {"role": "a"}}) == {"role": "a"}
    assert selection_for(dev, {"12": {"role": "b"}}) == {"role": "b"}
    assert selection_for(dev, {"SW1.Paris.Example.NET": {"role": "c"}}) == {"role": "c"}
    assert selection_for(dev, {"sw1.paris.example.net": {"role": "host"}, "12": {"role": "id"}}) == {"role": "id"}
    assert selection_for(dev, {"13": {"role": "x"}}) == {}
    assert selection_for(dev, None) == {}


def test_apply_choice_recomputes_through_the_same_rules():
    opts = options(role=None)
    before = state(opts=opts)
    assert before["status"] == "needs_review"
    after = apply_choice(device(), INDEX, EMPTY, opts, None, role="access", rack="R01")
    assert after["status"] == "ready"
    assert after["role"]["matched_by"] == "selection"
    assert after["rack"]["id"] == 400


def test_choosing_a_cluster_makes_a_vm():
    after = apply_choice(device(), INDEX, EMPTY, OPTIONS, {"name": "web1"}, cluster="vmware-paris")
    assert after["import_as"] == "vm"
    assert after["name"] == "web1"
    assert after["status"] == "ready"


def test_merge_choice_leaves_the_input_alone():
    selection = {"role": "access"}
    merged = merge_choice(selection, cluster=500)
    assert merged == {"role": "access", "cluster": 500, "as_vm": True}
    assert selection == {"role": "access"}
    assert merge_choice(None, role="server", rack="") == {"role": "server"}


# --- duplicates, summary, sorting -----------------------------------------------------------

def test_duplicate_names_in_one_site_are_all_blocked_naming_the_others():
    states = [state(device(device_id=12, hostname="sw1.a.example.net", serial="A")),
              state(device(device_id=14, hostname="sw1.b.example.net", serial="B")),
              state(device(device_id=15, hostname="sw2.example.net", sysName="sw2", serial="C"))]
    marked = mark_duplicate_names(states)
    assert [item["status"] for item in marked] == ["blocked", "blocked", "ready"]
    assert "LibreNMS device 14 (sw1.b.example.net) in site 'Paris DC1'" in marked[0]["issues"][-1]
    assert "LibreNMS device 12 (sw1.a.example.net)" in marked[1]["issues"][-1]
    assert "ids 12, 14" in marked[0]["issues"][-1]
    assert states[0]["status"] == "ready"  # the input is not changed


def test_duplicate_names_are_case_insensitive_and_per_site():
    same_site = [state(device(device_id=12, sysName="SW1", serial="A")), state(device(device_id=14, serial="B"))]
    assert [item["status"] for item in mark_duplicate_names(same_site)] == ["blocked", "blocked"]
    other_site = [state(device(device_id=12, serial="A")), state(device(device_id=14, serial="B", location="Lyon"))]
    assert [item["status"] for item in mark_duplicate_names(other_site)] == ["ready", "ready"]


def test_a_selection_name_clears_the_duplicate():
    states = [state(device(device_id=12, serial="A")),
              state(device(device_id=14, serial="B"), selection={"name": "sw1-annex"})]
    assert [item["status"] for item in mark_duplicate_names(states)] == ["ready", "ready"]


def test_existing_objects_are_not_duplicates():
    existing = build_existing_index([{"id": 7, "name": "x", "url": "u",
                                      "custom_fields": {"librenms_id": {"default": 12}}}], [], "default")
    states = [state(device(device_id=12, serial="A"), existing=existing), state(device(device_id=14, serial="B"))]
    assert [item["status"] for item in mark_duplicate_names(states)] == ["exists", "ready"]


def test_duplicate_vm_names_in_one_cluster():
    vm = {"as_vm": True, "cluster": 500}
    states = [state(device(device_id=12, serial="A"), selection=vm),
              state(device(device_id=14, serial="B"), selection=vm)]
    marked = mark_duplicate_names(states)
    assert [item["status"] for item in marked] == ["blocked", "blocked"]
    assert "in cluster 'vmware-paris'" in marked[0]["issues"][-1]


def test_status_counts_counts_every_status():
    states = [{"status": "ready"}, {"status": "ready"}, {"status": "blocked"}, {"status": "conflict"}]
    assert status_counts(states) == {"ready": 2, "needs_review": 0, "blocked": 1, "exists": 0, "conflict": 1,
                                     "total": 4}
    assert status_counts([]) == {"ready": 0, "needs_review": 0, "blocked": 0, "exists": 0, "conflict": 0, "total": 0}


def test_sort_states_by_name_then_id():
    states = [{"name": "b", "device_id": 1}, {"name": "A", "device_id": 9}, {"name": "a", "device_id": 3}]
    assert [(item["name"], item["device_id"]) for item in sort_states(states)] == [("a", 3), ("A", 9), ("b", 1)]
