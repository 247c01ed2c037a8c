# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    DEFAULT_MEMBER_NAME_PATTERN,
    chassis_model,
    choose_master,
    detect_virtual_chassis,
    member_name,
    validate_member_name_pattern,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._sources.librenms_rows import normalize_inventory


def row(index, cls, name, contained_in, rel_pos=-1, model="", serial="", descr="", vendor_type=""):
    """A row as GET /inventory/{device}/all returns it (strings, as LibreNMS stores them)."""
    return {
        "entPhysical_id": index, "device_id": 12, "entPhysicalIndex": str(index), "entPhysicalDescr": descr,
        "entPhysicalClass": cls, "entPhysicalName": name, "entPhysicalModelName": model,
        "entPhysicalSerialNum": serial, "entPhysicalContainedIn": str(contained_in),
        "entPhysicalParentRelPos": str(rel_pos), "entPhysicalVendorType": vendor_type,
        "entPhysicalMfgName": "", "entPhysicalIsFRU": "false", "ifIndex": None,
    }


def inventory(*rows):
    return normalize_inventory(list(rows))


# Cisco 2960-X StackWise: RelPos 0, 2, 3 but names "1", "2", "3" (interfaces Gi1/0/x .. Gi3/0/x).
C2960X = inventory(
    row(1, "stack", "c29xxStack", 0, 0, descr="c29xx Stack"),
    row(1001, "chassis", "1", 1, 0, "WS-C2960X-48FPD-L", "FOC1932X0K1", "WS-C2960X-48FPD-L"),
    row(1002, "module", "Switch 1 - FlexStackPlus Module", 1001, 1, "C2960X-STACK", "FDO1"),
    row(2001, "chassis", "2", 1, 2, "WS-C2960X-48FPD-L", "FOC1932X0K2", "WS-C2960X-48FPD-L"),
    row(3001, "chassis", "3", 1, 3, "WS-C2960X-24TS-L", "FOC1932X0K3", "WS-C2960X-24TS-L"),
    row(3010, "port", "GigabitEthernet3/0/1", 3001, 1),
)

# Catalyst 9300: "Switch 1 Chassis" and "Switch 2 Chassis", RelPos 1, 2, listed member 2 first.
C9300 = inventory(
    row(1, "stack", "c93xx Stack", 0, 0),
    row(1000, "chassis", "Switch 2 Chassis", 1, 2, "C9300-48P", "FCW2233G0B2", "Cisco Catalyst 9300 Series"),
    row(2000, "chassis", "Switch 1 Chassis", 1, 1, "C9300-24T", "FCW2233G0A1", "Cisco Catalyst 9300 Series"),
)

# Catalyst 9200L: no number in the names, RelPos 0, 1, 2, a null serial and an empty model.
C9200L = inventory(
    row(1, "stack", "c92xxL Stack", 0, 0),
    row(1000, "chassis", "C9200L-48P-4X Chassis", 1, 0, "C9200L-48P-4X", "JAE24410AAA"),
    {**row(2000, "chassis", "C9200L-48P-4X Chassis", 1, 1, "", ""), "entPhysicalSerialNum": None},
    row(3000, "chassis", "C9200L-48P-4X Chassis", 1, 2, "C9200L-48P-4X", "JAE24410CCC"),
)

# Catalyst 9400 StackWise Virtual: device hardware/serial belong to a line card.
C9400_SVL = inventory(
    row(1, "stack", "Stack", 0, 0),
    row(1000, "chassis", "Chassis 1", 1, 1, "C9407R", "FXS2211Q1AA"),
    row(2000, "chassis", "Chassis 2", 1, 2, "C9407R", "FXS2211Q2BB"),
    row(1100, "module", "Slot 1 Linecard", 1000, 1, "C9400-LC-48P", "JAE221700LC"),
)

# Juniper EX4300 virtual chassis through JUNIPER-MIB: FPC rows, part numbers as models, null classes.
JUNIPER = inventory(
    row(7, None, "FPC slot", 0, descr="FPC container"),
    row(1000007, None, "FPC: EX4300-48T @ 0/*/*", 7, descr="FPC: EX4300-48T @ 0/*/*", model="650-044930",
        serial="PE3714100001", vendor_type="FPC"),
    row(2000007, None, "FPC: EX4300-48P @ 1/*/*", 7, descr="FPC: EX4300-48P @ 1/*/*", model="650-044931",
        serial="PE3714100002", vendor_type="FPC"),
    row(9000001, "fan", "Fan Tray 0", 7, model="", serial=""),
)

# Aruba CX 6300 VSF: every class null, root "Stack" and "Chassis" rows both at contained-in 0.
ARUBA_VSF = inventory(
    row(1, None, "Stack", 0, descr="Aruba 6300 VSF Stack"),
    row(2, None, "Chassis", 0, 1, "JL668A", "SG9ZKN1001", "Aruba 6300F 24G"),
    row(3, None, "Chassis", 0, 2, "JL668A", "SG9ZKN1002", "Aruba 6300F 24G"),
    row(20, None, "Fan 1/1", 2),
)

# Junos EVO: class "0" on every row.
JUNOS_EVO = inventory(
    row(1, "0", "Chassis", 0, model="ACX7100-48L", serial="EVO0001", descr="ACX7100-48L"),
    row(2, "0", "Routing Engine 0", 1, model="RE-ACX7100", serial="EVO-RE"),
    row(3, "0", "FPC 0", 1, model="BUILTIN", serial="BUILTIN"),
)


def members(vc, *keys):
    return [tuple(member[key] for key in keys) for member in vc["members"]]


def test_2960x_positions_come_from_names_not_rel_pos():
    vc = detect_virtual_chassis({"serial": "FOC1932X0K2"}, C2960X)
    assert vc["kind"] == "stack"
    assert members(vc, "position", "serial", "name") == [
        (1, "FOC1932X0K1", "1"), (2, "FOC1932X0K2", "2"), (3, "FOC1932X0K3", "3")]
    assert vc["master_position"] == 2
    assert vc["chassis_model"] == "WS-C2960X-48FPD-L"
    assert members(vc, "is_master") == [(False,), (True,), (False,)]


def test_9300_switch_n_chassis_names_sorted_and_master_is_member_2():
    vc = detect_virtual_chassis({"serial": "fcw2233g0b2"}, C9300)
    assert members(vc, "position", "model") == [(1, "C9300-24T"), (2, "C9300-48P")]
    assert vc["master_position"] == 2
    assert vc["chassis_model"] == "C9300-48P"


def test_9200l_falls_back_to_zero_based_rel_pos_and_keeps_null_serial_and_empty_model_as_none():
    vc = detect_virtual_chassis({"serial": "JAE24410AAA"}, C9200L)
    assert members(vc, "position", "serial", "model") == [
        (1, "JAE24410AAA", "C9200L-48P-4X"), (2, None, None), (3, "JAE24410CCC", "C9200L-48P-4X")]
    assert vc["master_position"] == 1


def test_9400_svl_with_no_member_matching_the_device_serial_has_no_master():
    vc = detect_virtual_chassis({"serial": "JAE221700LC"}, C9400_SVL)
    assert vc["kind"] == "stack"
    assert members(vc, "position", "serial") == [(1, "FXS2211Q1AA"), (2, "FXS2211Q2BB")]
    assert vc["master_position"] is None
    assert vc["chassis_model"] is None
    assert not any(member["is_master"] for member in vc["members"])


def test_device_without_serial_never_gets_a_master():
    assert detect_virtual_chassis({"serial": None}, C9200L)["master_position"] is None


def test_two_members_with_the_device_serial_is_not_a_guess():
    rows = inventory(
        row(1, "stack", "Stack", 0),
        row(10, "chassis", "Switch 1", 1, 1, "X", "DUP"),
        row(20, "chassis", "Switch 2", 1, 2, "X", "DUP"),
    )
    assert detect_virtual_chassis({"serial": "DUP"}, rows)["master_position"] is None


def test_one_chassis_under_a_stack_root_is_standalone():
    rows = inventory(row(1, "stack", "c93xx Stack", 0), row(1000, "chassis", "Switch 1 Chassis", 1, 1, "C9300-48P"))
    assert detect_virtual_chassis({"serial": "x"}, rows) is None


def test_stack_root_is_preferred_over_a_chassis_root():
    rows = inventory(
        row(5, "chassis", "Chassis", 0, 0, "C9300-48P", "LONE"),
        row(1, "stack", "Stack", 0, 0),
        row(10, "chassis", "Switch 1", 1, 1, "C9300-48P", "A1"),
        row(20, "chassis", "Switch 2", 1, 2, "C9300-48P", "A2"),
    )
    vc = detect_virtual_chassis({"serial": "A1"}, rows)
    assert members(vc, "serial") == [("A1",), ("A2",)]


def test_plain_chassis_switch_is_not_a_stack():
    rows = inventory(row(1, "chassis", "Chassis", 0, -1, "WS-C3850-48P", "FOC1"), row(2, "module", "PSU", 1, 1))
    assert detect_virtual_chassis({"serial": "FOC1"}, rows) is None


def test_no_inventory_rows_at_all():
    assert detect_virtual_chassis({"serial": "x"}, []) is None
    assert detect_virtual_chassis({"serial": "x"}, None) is None


def test_positions_fall_back_to_inventory_order_when_names_and_rel_pos_repeat():
    rows = inventory(
        row(1, "stack", "Stack", 0),
        row(10, "chassis", "Chassis", 1, 0, "M", "S1"),
        row(20, "chassis", "Chassis", 1, 0, "M", "S2"),
    )
    assert members(detect_virtual_chassis({"serial": "S2"}, rows), "position", "serial") == [(1, "S1"), (2, "S2")]


def test_juniper_fpc_rows_make_a_virtual_chassis_with_models_from_descr():
    vc = detect_virtual_chassis({"serial": "PE3714100001"}, JUNIPER)
    assert vc["kind"] == "juniper_vc"
    assert members(vc, "position", "serial", "model") == [
        (1, "PE3714100001", "EX4300-48T"), (2, "PE3714100002", "EX4300-48P")]
    assert vc["master_position"] == 1
    assert vc["chassis_model"] == "EX4300-48T"


def test_juniper_position_from_the_index_when_descr_has_no_slot():
    rows = inventory(
        row(3000007, None, "FPC", 7, descr="FPC", model="EX4300-48T", serial="B", vendor_type="FPC"),
        row(1000007, None, "FPC", 7, descr="FPC", model="EX4300-48T", serial="A", vendor_type="FPC"),
    )
    vc = detect_virtual_chassis({"serial": "B"}, rows)
    assert members(vc, "position", "serial", "model") == [(1, "A", "EX4300-48T"), (3, "B", "EX4300-48T")]
    assert vc["master_position"] == 3


def test_one_fpc_is_a_standalone_juniper():
    rows = inventory(row(1000007, None, "FPC: EX2300-24T @ 0/*/*", 7, descr="FPC: EX2300-24T @ 0/*/*",
                         vendor_type="FPC", serial="X"))
    assert detect_virtual_chassis({"serial": "X"}, rows) is None


def mx_line_cards(chassis_descr="Juniper MX480 Midrange Router"):
    """An MX router through JUNIPER-MIB: the chassis row, then one FPC row per line card (MPCs, not members)."""
    return inventory(
        row(1, None, chassis_descr, 0, descr=chassis_descr, model="MX480", serial="JN1", vendor_type="jnxChassis"),
        row(7, None, "FPC", 1, descr="FPC", vendor_type="jnxContainer"),
        *(row((slot + 1) * 1000000 + 7, None, f"FPC: {card} @ {slot}/*/*", 7, descr=f"FPC: {card} @ {slot}/*/*",
              model="750-05" + str(slot), serial=f"CAB{slot}", vendor_type="FPC")
          for slot, card in enumerate(("MPC7E 3D 40XGE", "MPC7E 3D 40XGE", "MPC10E 3D MRATE-15xQSFPP"))),
    )


@pytest.mark.parametrize("hardware", ["Juniper MX480 Midrange Router", "Juniper PTX10008", "Juniper SRX4600",
                                      "Juniper EX9208 Ethernet Switch", "Juniper QFX10008", None, ""])
def test_line_cards_of_juniper_routers_and_modular_switches_are_not_members(hardware):
    chassis = hardware or "Juniper MX480 Midrange Router"
    assert detect_virtual_chassis({"serial": "JN1", "hardware": hardware}, mx_line_cards(chassis)) is None


def test_unnamed_juniper_model_needs_every_fpc_to_name_a_switch():
    # neither the hardware nor a chassis row names a model: an EX VC's FPC rows name the members' model
    assert detect_virtual_chassis({"serial": "PE3714100001"}, JUNIPER)["kind"] == "juniper_vc"
    cards = [r for r in mx_line_cards() if r["vendor_type"] != "jnxChassis"]
    assert detect_virtual_chassis({"serial": "JN1", "hardware": "Juniper router"}, cards) is None


@pytest.mark.parametrize("hardware", ["Juniper EX4300-48T Ethernet Switch", "Juniper QFX5120-48Y", "EX2300-C-12P"])
def test_ex_and_qfx_switches_keep_their_virtual_chassis(hardware):
    assert detect_virtual_chassis({"serial": "PE3714100001", "hardware": hardware}, JUNIPER)["kind"] == "juniper_vc"


def test_aruba_vsf_with_null_classes():
    vc = detect_virtual_chassis({"serial": "SG9ZKN1002"}, ARUBA_VSF)
    assert vc["kind"] == "aruba_vsf"
    assert members(vc, "position", "serial", "model") == [(1, "SG9ZKN1001", "JL668A"), (2, "SG9ZKN1002", "JL668A")]
    assert vc["master_position"] == 2


def test_aruba_without_a_stack_root_is_not_a_vsf():
    rows = [item for item in ARUBA_VSF if item["name"] != "Stack"]
    assert detect_virtual_chassis({"serial": "SG9ZKN1001"}, rows) is None


def test_junos_evo_class_zero_does_not_crash_and_is_standalone():
    assert detect_virtual_chassis({"serial": "EVO0001"}, JUNOS_EVO) is None
    assert chassis_model(JUNOS_EVO) is None


def test_chassis_model_of_a_standalone_switch_skips_placeholders():
    assert chassis_model(inventory(row(1, "chassis", "1", 0, -1, "WS-C3850-48P", "FOC1"))) == "WS-C3850-48P"
    assert chassis_model(inventory(row(1, "chassis", "1", 0, -1, "Unspecified", "FOC1"))) is None
    assert chassis_model([]) is None


def test_member_name_default_pattern_is_appended_like_the_plugin():
    assert DEFAULT_MEMBER_NAME_PATTERN == "-M{position}"
    assert member_name(None, "core-sw1", 2, "FOC2") == "core-sw1-M2"


def test_member_name_with_master_name_placeholder_is_the_whole_name():
    assert member_name("{master_name}-sw{position}", "core-sw1", 3, None) == "core-sw1-sw3"
    assert member_name("stack-{serial}", "core-sw1", 3, "FOC3") == "core-sw1stack-FOC3"


def test_member_name_needing_a_missing_serial_fails():
    with pytest.raises(LibrenmsSyncError, match="position 2 has none"):
        member_name("{master_name}-{serial}", "sw", 2, None)


@pytest.mark.parametrize(("pattern", "message"), [
    ("-{slot}", "unknown placeholder {slot}"),
    ("-{}", "unknown placeholder {}"),
    ("-{position.real}", "unknown placeholder {position.real}"),
    ("-{position", "not a valid pattern"),
    ("{master_name}", "must contain {position} or {serial}"),
    ("", "non-empty"),
])
def test_bad_patterns_are_refused(pattern, message):
    with pytest.raises(LibrenmsSyncError) as caught:
        validate_member_name_pattern(pattern)
    assert message in str(caught.value)


def test_unknown_placeholder_message_lists_the_valid_ones():
    with pytest.raises(LibrenmsSyncError) as caught:
        validate_member_name_pattern("-{slot}")
    assert "{position}, {serial}, {master_name}" in str(caught.value)


def test_format_spec_is_allowed():
    assert member_name("-{position:02d}", "sw", 3, None) == "sw-03"


def test_choose_master_by_serial_and_by_position():
    vc = detect_virtual_chassis({"serial": "JAE221700LC"}, C9400_SVL)
    by_serial = choose_master(vc, "fxs2211q2bb")
    assert by_serial["master_position"] == 2
    assert by_serial["chassis_model"] == "C9407R"
    assert members(by_serial, "is_master") == [(False,), (True,)]
    assert choose_master(vc, 1)["master_position"] == 1
    assert choose_master(vc, "1")["master_position"] == 1
    assert vc["master_position"] is None  # the input is not changed


def test_choose_master_without_a_choice_keeps_detection():
    vc = detect_virtual_chassis({"serial": "FOC1932X0K2"}, C2960X)
    assert choose_master(vc, None)["master_position"] == 2
    assert choose_master(vc, "")["master_position"] == 2


def test_choose_master_unknown_choice_names_the_members():
    vc = detect_virtual_chassis({"serial": "x"}, C9400_SVL)
    with pytest.raises(LibrenmsSyncError) as caught:
        choose_master(vc, "NOPE")
    assert "FXS2211Q1AA" in str(caught.value)
    assert "FXS2211Q2BB" in str(caught.value)
    with pytest.raises(LibrenmsSyncError, match="matches no member"):
        choose_master(vc, 7)


def test_choose_master_digit_string_that_is_a_position_and_another_serial_is_ambiguous():
    rows = inventory(
        row(1, "stack", "Stack", 0),
        row(10, "chassis", "Switch 1", 1, 1, "X", "2"),
        row(20, "chassis", "Switch 2", 1, 2, "X", "B"),
    )
    vc = detect_virtual_chassis({"serial": "x"}, rows)
    with pytest.raises(LibrenmsSyncError, match="more than one member"):
        choose_master(vc, "2")


def test_raw_api_rows_give_the_same_answer_as_normalised_ones():
    raw = [
        row(1, "stack", "c29xxStack", 0, 0),
        row(1001, "chassis", "1", 1, 0, "WS-C2960X-48FPD-L", "FOC1932X0K1"),
        row(2001, "chassis", "2", 1, 2, "WS-C2960X-48FPD-L", "FOC1932X0K2"),
    ]
    assert detect_virtual_chassis({"serial": "FOC1932X0K1"}, raw) == detect_virtual_chassis(
        {"serial": "FOC1932X0K1"}, normalize_inventory(raw))
    assert detect_virtual_chassis({"serial": "FOC1932X0K1"}, raw)["master_position"] == 1
    assert chassis_model([row(1, "chassis", "1", 0, -1, "WS-C3850-48P")]) == "WS-C3850-48P"
