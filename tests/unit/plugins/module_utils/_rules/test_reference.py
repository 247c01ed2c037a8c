# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    build_reference_index,
    check_selection_shapes,
    find_reference,
    match_cluster,
    match_device_type,
    match_platform,
    match_rack,
    match_role,
    match_site,
    selection_shape_problems,
    validate_maps,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_device

CISCO = {"id": 1, "name": "Cisco", "slug": "cisco"}
JUNIPER = {"id": 2, "name": "Juniper", "slug": "juniper"}
OEM = {"id": 3, "name": "OEM", "slug": "oem"}
PARIS = {"id": 10, "name": "Paris DC1", "slug": "paris-dc1"}
LYON = {"id": 11, "name": "Lyon", "slug": "lyon"}

REFERENCE = {
    "sites": [PARIS, LYON, {"id": 12, "name": "Zürich", "slug": "zurich"}],
    "locations": [{"id": 50, "name": "Room 1", "slug": "room-1", "site": {"id": 10, "name": "Paris DC1"}}],
    "manufacturers": [CISCO, JUNIPER, OEM],
    "device_types": [
        {"id": 100, "model": "Catalyst 2960X-48FPD-L", "slug": "catalyst-2960x-48fpd-l",
         "part_number": "WS-C2960X-48FPD-L", "manufacturer": CISCO},
        {"id": 101, "model": "C9300-48P", "slug": "c9300-48p", "part_number": "", "manufacturer": CISCO},
        {"id": 102, "model": "EX4300-48T", "slug": "ex4300-48t", "part_number": "", "manufacturer": JUNIPER},
        {"id": 103, "model": "Generic 1U", "slug": "generic-1u", "part_number": "GEN-1U", "manufacturer": CISCO},
        {"id": 104, "model": "Generic 1U", "slug": "oem-generic-1u", "part_number": "GEN-1U", "manufacturer": OEM},
        {"id": 105, "model": "C9407R", "slug": "c9407r", "part_number": "C9407R", "manufacturer": CISCO},
    ],
    "platforms": [{"id": 200, "name": "Cisco IOS", "slug": "ios"}, {"id": 201, "name": "junos", "slug": "junos"}],
    "roles": [
        {"id": 300, "name": "Access Switch", "slug": "access-switch", "vm_role": False},
        {"id": 301, "name": "Core", "slug": "core", "vm_role": False},
        {"id": 302, "name": "Server", "slug": "server", "vm_role": True},
        {"id": 303, "name": "Firewall", "slug": "firewall", "vm_role": False},
    ],
    "racks": [
        {"id": 400, "name": "R01", "site": {"id": 10, "name": "Paris DC1"}},
        {"id": 401, "name": "R01", "site": {"id": 11, "name": "Lyon"}},
        {"id": 402, "name": "R02", "site": {"id": 10, "name": "Paris DC1"}},
        {"id": 403, "name": "R02", "site": {"id": 10, "name": "Paris DC1"}},
    ],
    "clusters": [{"id": 500, "name": "vmware-paris"}, {"id": 501, "name": "kvm"}, {"id": 502, "name": "kvm"}],
}
INDEX = build_reference_index(REFERENCE)


def resolved(**options):
    return validate_maps(options, INDEX)["resolved"]


def device(**fields):
    row = {"device_id": 12, "hostname": "sw1.paris.example.net", "sysName": "sw1", "os": "ios",
           "hardware": "WS-C2960X-48FPD-L", "location": "Paris DC1", "type": "network", "serial": "FOC1"}
    row.update(fields)
    return normalize_device(row)


def problems_of(options):
    with pytest.raises(LibrenmsSyncError) as caught:
        validate_maps(options, INDEX)
    return caught.value


# --- reference index --------------------------------------------------------------------------

def test_index_lookups_are_case_insensitive_and_by_id_slug_name_part_number():
    assert [obj["id"] for obj in find_reference(INDEX, "sites", "PARIS DC1")] == [10]
    assert [obj["id"] for obj in find_reference(INDEX, "sites", "lyon")] == [11]
    assert [obj["id"] for obj in find_reference(INDEX, "sites", 12)] == [12]
    assert [obj["id"] for obj in find_reference(INDEX, "sites", "12")] == [12]
    assert [obj["id"] for obj in find_reference(INDEX, "device_types", "ws-c2960x-48fpd-l")] == [100]
    assert [obj["id"] for obj in find_reference(INDEX, "device_types", "GEN-1U")] == [103, 104]
    assert find_reference(INDEX, "roles", "nothing") == []


def test_index_tolerates_missing_kinds_and_rows_without_id():
    index = build_reference_index({"sites": [{"name": "no id"}]})
    assert find_reference(index, "sites", "no id") == []
    assert find_reference(index, "clusters", "kvm") == []


# --- validate_maps ----------------------------------------------------------------------------

def test_valid_maps_are_resolved_once():
    options = validate_maps({
        "site_map": {"PAR-DC1": "paris-dc1"}, "device_type_map": {"Catalyst 29xx Stack": 100},
        "platform_map": {"iosxe": "Cisco IOS"}, "role": "access-switch",
        "role_rules": [{"match": {"os": "^junos$"}, "role": "core"}],
        "selections": {"12": {"role": "Core", "rack": "R01", "cluster": "vmware-paris", "as_vm": True}},
    }, INDEX)
    maps = options["resolved"]
    assert maps["site_map"] == {"par-dc1": {"id": 10, "name": "Paris DC1", "matched_by": "site_map"}}
    assert maps["device_type_map"]["catalyst 29xx stack"]["id"] == 100
    assert maps["platform_map"]["iosxe"]["id"] == 200
    assert maps["role"] == {"id": 300, "name": "Access Switch", "matched_by": "role"}
    assert maps["role_rules"][0]["role"]["id"] == 301
    assert options["site_map"] == {"PAR-DC1": "paris-dc1"}  # the user's options are kept


@pytest.mark.parametrize(("options", "expected"), [
    ({"site_map": {"PAR-DC1": "paris"}}, "site_map['PAR-DC1'] names site 'paris', which does not exist"),
    ({"device_type_map": {"WS-X": "C9999"}}, "device_type_map['WS-X'] names device type 'C9999'"),
    ({"platform_map": {"iosxe": "IOS-XE"}}, "platform_map['iosxe'] names platform 'IOS-XE'"),
    ({"role": "distribution"}, "role names role 'distribution', which does not exist"),
    ({"role_rules": [{"match": {"os": "ios"}, "role": "edge"}]}, "role_rules[0].role names role 'edge'"),
    ({"selections": {"12": {"role": "nope"}}}, "selections.12.role names role 'nope'"),
    ({"selections": {"12": {"rack": "R99"}}}, "selections.12.rack names rack 'R99'"),
    ({"selections": {"sw1": {"cluster": "hyperv"}}}, "selections.sw1.cluster names cluster 'hyperv'"),
])
def test_each_map_target_must_exist(options, expected):
    assert expected in str(problems_of(options))


def test_every_problem_is_reported_in_one_error():
    error = problems_of({"site_map": {"A": "x"}, "role": "y", "platform_map": {"b": "z"}})
    assert len(error.details["problems"]) == 3
    assert str(error).startswith("Invalid options: ")


def test_many_problems_are_capped_at_20_with_a_count():
    selections = {f"sw{number}": {"as_vm": "perhaps"} for number in range(1000)}
    error = problems_of({"selections": selections})
    assert len(error.details["problems"]) == 20 and error.details["problem_count"] == 1000
    assert str(error).endswith("; and 980 more problem(s)") and len(str(error)) < 2000


def test_ambiguous_map_target_is_refused_with_the_candidates():
    message = str(problems_of({"device_type_map": {"whitebox": "Generic 1U"}}))
    assert "matches 2 NetBox device types" in message
    assert "Cisco Generic 1U (id 103)" in message
    assert "OEM Generic 1U (id 104)" in message


def test_ambiguous_cluster_selection_is_refused():
    assert "matches 2 NetBox clusters" in str(problems_of({"selections": {"12": {"cluster": "kvm"}}}))


def test_bad_regex_names_the_rule_index_and_the_pattern():
    message = str(problems_of({"role_rules": [{"match": {"os": "ios"}, "role": "core"},
                                              {"match": {"hostname": "^(core"}, "role": "core"}]}))
    assert "role_rules[1]" in message
    assert "'^(core'" in message


def test_role_rule_match_key_outside_the_allowed_ones():
    message = str(problems_of({"role_rules": [{"match": {"vendor": "cisco"}, "role": "core"}]}))
    assert "role_rules[0] matches on 'vendor'" in message
    assert "os, type, hardware, hostname, sysname, location" in message


@pytest.mark.parametrize("rule", [{"role": "core"}, {"match": {}, "role": "core"}, "core"])
def test_role_rule_without_match_is_refused(rule):
    assert "role_rules[0] needs a non-empty 'match'" in str(problems_of({"role_rules": [rule]}))


def test_unknown_selection_key_is_refused():
    assert "selections.12 has unknown key 'site'" in str(problems_of({"selections": {"12": {"site": "Lyon"}}}))


def test_bad_member_name_pattern_is_reported_with_the_maps():
    assert "unknown placeholder {slot}" in str(problems_of({"vc_member_name_pattern": "-{slot}"}))


# --- site -------------------------------------------------------------------------------------

def test_site_map_wins_over_name():
    maps = resolved(site_map={"paris dc1": "lyon"})
    assert match_site("Paris DC1", INDEX, maps) == {"id": 11, "name": "Lyon", "matched_by": "site_map"}


def test_site_by_name_then_slug_case_insensitive():
    maps = resolved()
    assert match_site("paris dc1", INDEX, maps) == {"id": 10, "name": "Paris DC1", "matched_by": "name"}
    assert match_site("PARIS-DC1", INDEX, maps) == {"id": 10, "name": "Paris DC1", "matched_by": "slug"}
    assert match_site("zürich", INDEX, maps)["id"] == 12


def test_no_site_for_unknown_or_missing_location():
    maps = resolved()
    assert match_site("Paris", INDEX, maps) is None
    assert match_site(None, INDEX, maps) is None


# --- device type ------------------------------------------------------------------------------

def test_device_type_map_first():
    maps = resolved(device_type_map={"WS-C2960X-48FPD-L": "c9300-48p"})
    match, issue = match_device_type("ws-c2960x-48fpd-l", INDEX, maps)
    assert match == {"id": 101, "name": "C9300-48P", "matched_by": "device_type_map"}
    assert issue is None


def test_device_type_by_part_number_then_model():
    maps = resolved()
    assert match_device_type("WS-C2960X-48FPD-L", INDEX, maps)[0]["matched_by"] == "part_number"
    expected = {"id": 101, "name": "C9300-48P", "matched_by": "model"}
    assert match_device_type("c9300-48p", INDEX, maps) == (expected, None)


def test_device_type_ambiguity_blocks_and_names_them():
    match, issue = match_device_type("GEN-1U", INDEX, resolved())
    assert match is None
    assert "matches 2 NetBox device types by part number" in issue
    assert "Cisco Generic 1U (id 103)" in issue
    assert "OEM Generic 1U (id 104)" in issue


def test_chassis_model_from_inventory_is_tried_when_hardware_fails():
    match, issue = match_device_type("Cisco Catalyst 9300 Stack", INDEX, resolved(), chassis_model="C9300-48P")
    assert match == {"id": 101, "name": "C9300-48P", "matched_by": "chassis_model"}
    assert issue is None
    match = match_device_type(None, INDEX, resolved(), chassis_model="EX4300-48T")[0]
    assert match["id"] == 102


def test_hardware_match_wins_over_chassis_model():
    match = match_device_type("C9407R", INDEX, resolved(), chassis_model="C9300-48P")[0]
    assert match["id"] == 105


def test_no_device_type_issue_names_what_was_tried():
    issue = match_device_type("Juniper EX9999", INDEX, resolved(), chassis_model="EX9999-48")[1]
    assert "'Juniper EX9999' or 'EX9999-48'" in issue
    assert "device_type_map" in issue


def test_no_device_type_issue_names_each_candidate_once():
    issue = match_device_type("ISR4331/K9", INDEX, resolved(), chassis_model="ISR4331/K9")[1]
    assert "model 'ISR4331/K9';" in issue


def test_no_hardware_issue():
    issue = match_device_type(None, INDEX, resolved())[1]
    assert "no hardware" in issue


# --- platform ---------------------------------------------------------------------------------

def test_platform_map_then_name_then_slug():
    assert match_platform("iosxe", INDEX, resolved(platform_map={"IOSXE": "ios"}))["matched_by"] == "platform_map"
    assert match_platform("JUNOS", INDEX, resolved()) == {"id": 201, "name": "junos", "matched_by": "name"}
    assert match_platform("ios", INDEX, resolved()) == {"id": 200, "name": "Cisco IOS", "matched_by": "slug"}
    assert match_platform("routeros", INDEX, resolved()) is None
    assert match_platform(None, INDEX, resolved()) is None


# --- role -------------------------------------------------------------------------------------

RULES = [
    {"match": {"os": "^fortigate$"}, "role": "firewall"},
    {"match": {"hostname": "^core-", "hardware": "C94"}, "role": "core"},
    {"match": {"location": "paris", "type": "network"}, "role": "access-switch"},
]


def test_default_role():
    expected = {"id": 301, "name": "Core", "matched_by": "role"}
    assert match_role(device(), INDEX, resolved(role="core")) == (expected, None)
    assert match_role(device(), INDEX, resolved()) == (None, None)


def test_first_matching_rule_overrides_the_default():
    maps = resolved(role="server", role_rules=RULES)
    role = match_role(device(hostname="CORE-sw1", hardware="C9407R"), INDEX, maps)[0]
    assert role == {"id": 301, "name": "Core", "matched_by": "role_rules[1]"}


def test_every_key_of_a_rule_must_match():
    maps = resolved(role="server", role_rules=RULES)
    role = match_role(device(hostname="core-sw1", hardware="C9300-48P"), INDEX, maps)[0]
    assert role["matched_by"] == "role_rules[2]"  # rule 1 needs C94 too; rule 2 matches by search


def test_rules_search_case_insensitively_and_missing_fields_match_as_empty():
    maps = resolved(role="server", role_rules=[{"match": {"hardware": "^$"}, "role": "firewall"}])
    assert match_role(device(hardware=None), INDEX, maps)[0]["id"] == 303
    assert match_role(device(), INDEX, maps)[0]["id"] == 302


def test_selection_overrides_rules_and_unknown_selection_is_an_issue():
    maps = resolved(role="server", role_rules=RULES)
    assert match_role(device(os="fortigate"), INDEX, maps, "core")[0] == {"id": 301, "name": "Core",
                                                                          "matched_by": "selection"}
    role, issue = match_role(device(), INDEX, maps, "nope")
    assert role is None
    assert "does not exist" in issue


# --- rack and cluster -------------------------------------------------------------------------

def test_rack_by_name_must_be_in_the_site():
    paris = {"id": 10, "name": "Paris DC1", "matched_by": "name"}
    assert match_rack("r01", paris, INDEX) == ({"id": 400, "name": "R01", "matched_by": "selection"}, None)
    assert match_rack(401, {"id": 11, "name": "Lyon", "matched_by": "name"}, INDEX)[0]["id"] == 401


def test_rack_in_another_site_is_an_issue_naming_both_sites():
    match, issue = match_rack(401, {"id": 10, "name": "Paris DC1", "matched_by": "name"}, INDEX)
    assert match is None
    assert issue == "rack 401 is not in site 'Paris DC1' (it is in site 'Lyon')"


def test_rack_unknown_ambiguous_or_without_site():
    paris = {"id": 10, "name": "Paris DC1", "matched_by": "name"}
    assert "does not exist" in match_rack("R99", paris, INDEX)[1]
    assert "matches 2 racks in site 'Paris DC1'" in match_rack("R02", paris, INDEX)[1]
    assert "no site" in match_rack("R01", None, INDEX)[1]
    assert match_rack(None, paris, INDEX) == (None, None)


def test_rack_with_a_bare_site_id():
    index = build_reference_index({"racks": [{"id": 1, "name": "A1", "site": 10}]})
    assert match_rack("A1", {"id": 10, "name": "Paris DC1"}, index)[0]["id"] == 1


def test_cluster_by_name_or_id():
    assert match_cluster("vmware-paris", INDEX) == ({"id": 500, "name": "vmware-paris", "matched_by": "selection"},
                                                    None)
    assert match_cluster(502, INDEX)[0]["id"] == 502
    assert "matches 2 NetBox clusters" in match_cluster("kvm", INDEX)[1]
    assert "does not exist" in match_cluster("hyperv", INDEX)[1]
    assert match_cluster(None, INDEX) == (None, None)


@pytest.mark.parametrize("value", ["perhaps", "maybe", 2, -1, 0.5, [], {"x": 1}])
def test_a_non_boolean_as_vm_is_refused_naming_the_selection(value):
    problems = str(problems_of({"selections": {"12": {"as_vm": value}}}))
    assert f"selections.12.as_vm must be true or false, got {value!r}" in problems


@pytest.mark.parametrize("value", [True, False, "yes", "No", "true", "0", 1, 0, None])
def test_boolean_as_vm_values_pass(value):
    assert selection_shape_problems({"12": {"as_vm": value}}) == []


def test_selection_shapes_are_checked_without_netbox():
    with pytest.raises(LibrenmsSyncError) as raised:
        check_selection_shapes({"sw1": {"as_vm": "perhaps", "colour": "red"}})
    assert raised.value.msg == ("Invalid options: selections.sw1 has unknown key 'colour'; valid keys are: "
                                "name, role, rack, as_vm, cluster, vc_master; "
                                "selections.sw1.as_vm must be true or false, got 'perhaps'")
    check_selection_shapes(None)
