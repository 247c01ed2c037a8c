# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: validate LibreNMS candidates against the NetBox of right now.

The search, the import and the background jobs all assess devices here, so a device gets the same status
whichever of them looks at it. NetBox is read in bulk; LibreNMS inventories are fetched once per device
that needs one, a few at a time.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Optional

from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.naming import resolve_name
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.options import Options, server_key_of
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.values import nested_id
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.device_state import (
    build_device_state,
    mark_duplicate_names,
    selection_for,
    sort_states,
    unmatched_selections,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.existing import (
    build_existing_index,
    chassis_sizes,
    find_existing,
    may_be_unfinished_chassis,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.reference import (
    build_reference_index,
    validate_maps,
)
from ansible_collections.netbox_librenms.sync.plugins.module_utils._rules.virtual_chassis import (
    chassis_model,
    detect_virtual_chassis,
)

Progress = Callable[[str, int, int], None]
# Devices whose inventory the import reads: those it may create (and the masters of stacks a past run left
# unfinished). A blocked device is among them, since the chassis model in its inventory may match a device type
# its hardware string does not.
IMPORTABLE = ("ready", "needs_review", "blocked")
UNSEEN_SHOWN = 20  # selections naming unknown devices: the first ones named, the rest counted


def no_progress(phase: str, processed: int, total: int) -> None:
    """Synchronous runs report nothing; jobs pass a callback that writes the job's meta."""


class RunAssessment:
    """Everything one run learnt: the candidates' states and the NetBox context the plan needs (per-device notes
    are _rules/device_notes.DeviceNotes)."""

    def __init__(self, params: Options, netbox) -> None:
        self.server_key = server_key_of(params)
        self.selections = params.get("selections") or {}
        reference = netbox.reference_data()
        self.index = build_reference_index(reference)
        self.options = validate_maps(dict(params, server_key=self.server_key), self.index)
        existing = netbox.existing_objects()
        self.existing_objects = {("device", obj["id"]): obj for obj in existing["devices"]}
        self.existing_objects.update({("vm", obj["id"]): obj for obj in existing["vms"]})
        self.existing_index = build_existing_index(existing["devices"], existing["vms"], self.server_key)
        self.chassis_sizes = chassis_sizes(existing["devices"])
        self.devices: Dict[int, Dict[str, Any]] = {}
        self.inventories: Dict[int, List[dict]] = {}
        self.inventory_errors: Dict[int, str] = {}  # device id -> why its inventory could not be read
        self.states: List[Dict[str, Any]] = []
        self.stacks = True  # False when inventories are read for device types only
        self.warnings: List[str] = []

    def is_known(self, device: Dict[str, Any]) -> bool:
        """Whether NetBox already holds this device (or something it collides with)."""
        name = selection_for(device, self.selections).get("name") or resolve_name(
            device, self.options.get("use_sysname", True), self.options.get("strip_domain", False)
        )
        return find_existing(device, name, self.existing_index, self.server_key) is not None

    def current(self, state: Dict[str, Any]) -> Dict[str, Any]:
        """The NetBox object a state's device already is, as listed ({} when none)."""
        existing = state.get("existing") or {}
        return self.existing_objects.get((existing.get("kind"), existing.get("id")), {})

    def state_of(self, device: Dict[str, Any]) -> Dict[str, Any]:
        rows = self.inventories.get(device["device_id"])
        vc = detect_virtual_chassis(device, rows) if rows else None
        model = chassis_model(rows) if rows and vc is None else None
        if vc is not None and not self.stacks:
            # Read for the device type only: the master's model, and no stack to review or create.
            vc, model = None, vc.get("chassis_model") or chassis_model(rows)
        selection = selection_for(device, self.selections)
        state = build_device_state(
            device, self.index, self.existing_index, self.options, selection, vc=vc, chassis_model=model)
        state["selection"] = selection
        error = self.inventory_errors.get(device["device_id"])
        if error:
            # Without the inventory, a stack would be imported as one device: a person looks first, or a re-run.
            state["review"] = [*state["review"], f"inventory not read, so stack membership and chassis model are "
                                                 f"unknown ({error}); run again"]
            state["status"] = "needs_review" if state["status"] == "ready" else state["status"]
        return state


def _needs_inventory(state: Dict[str, Any], assessment: RunAssessment) -> bool:
    """Whether the import reads this device's inventory (once): to detect its stack, or only for its device type."""
    creatable = state["status"] in IMPORTABLE and state["import_as"] == "device"
    if not assessment.stacks:
        return creatable and state["device_type"] is None
    current = assessment.current(state)
    size = assessment.chassis_sizes.get(nested_id(current.get("virtual_chassis")), 0)
    return creatable or may_be_unfinished_chassis(state, current, size)


def assess(
    candidates: Iterable[Dict[str, Any]],
    params: Options,
    librenms,
    netbox,
    detect: str = "all",
    progress: Optional[Progress] = None,
) -> RunAssessment:
    """States for the candidates; `detect` is "all", "importable" (the import), "device_type" or "none".

    "device_type" (an import that creates no virtual chassis) reads the inventory only of the devices it may create
    whose hardware matches no device type, for the chassis model.
    """
    progress = progress or no_progress
    assessment = RunAssessment(params, netbox)
    candidates = list(candidates)
    assessment.warnings += _unseen_selections_warning(assessment.selections, candidates)
    if params.get("exclude_existing"):
        candidates = [device for device in candidates if not assessment.is_known(device)]
    assessment.devices = {device["device_id"]: device for device in candidates}
    states: Optional[List[Dict[str, Any]]] = None
    wanted: List[int] = []
    if detect == "all":
        wanted = list(assessment.devices)
    elif detect in ("importable", "device_type"):
        # The status without inventory decides which devices the import may create, hence need one.
        assessment.stacks = detect == "importable"
        states = [assessment.state_of(device) for device in candidates]
        wanted = [s["device_id"] for s in states if _needs_inventory(s, assessment)]
    if wanted:
        assessment.inventories = librenms.inventories(
            wanted, concurrency=int(params.get("inventory_concurrency") or 4),
            on_done=lambda done, total: progress("inventory", done, total),
            on_error=assessment.inventory_errors.__setitem__,
        )
    if states is None:
        states = [assessment.state_of(device) for device in candidates]
    else:
        states = [
            assessment.state_of(device) if device["device_id"] in assessment.inventories
            or device["device_id"] in assessment.inventory_errors else state
            for device, state in zip(candidates, states)
        ]
    progress("validate", len(states), len(states))
    assessment.states = sort_states(mark_duplicate_names(states))
    return assessment


def _unseen_selections_warning(selections: Any, candidates: List[Dict[str, Any]]) -> List[str]:
    """A warning naming the selections for devices this run never saw (a typo, or a device outside the filters)."""
    unseen = unmatched_selections(selections, candidates)
    if not unseen:
        return []
    more = f" and {len(unseen) - UNSEEN_SHOWN} more" if len(unseen) > UNSEEN_SHOWN else ""
    return [f"selections name {len(unseen)} device(s) this run did not find (unknown to LibreNMS, or outside the "
            f"filters), so their choices are unused: {', '.join(unseen[:UNSEEN_SHOWN])}{more}"]
