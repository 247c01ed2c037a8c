"""How one stored row looks on each endpoint and in each simulated LibreNMS generation."""

from __future__ import annotations

from harness.librenms_sim.catalog import BOOL_FLAGS, BOOL_STATUS, DATE_COLUMNS

_DEPENDENCY = ("dependency_parent_id", "dependency_parent_hostname")


def iso_date(value):
    """Eloquent's date serialisation: "2024-09-26 15:50:18" -> "2024-09-26T15:50:18.000000Z"."""
    if value is None:
        return None
    return value.replace(" ", "T") + ".000000Z"


def stringify(row: dict) -> dict:
    """Old installs (PDO without native types): every non-null scalar comes back as a string."""
    out = {}
    for key, value in row.items():
        if value is None or isinstance(value, (dict, list)):
            out[key] = value
        elif value is True or value is False:
            out[key] = "1" if value else "0"
        else:
            out[key] = str(value)
    return out


def location_object(location: dict | None):
    if location is None:
        return None
    return {
        "id": location["id"],
        "location": location["location"],
        "lat": None if location["lat"] is None else float(location["lat"]),
        "lng": None if location["lng"] is None else float(location["lng"]),
        "timestamp": location["timestamp"],
        "fixed_coordinates": bool(location["fixed_coordinates"]),
    }


def single_device(row: dict, estate, *, legacy=False, int_flags=False, location_as_object=False) -> dict:
    """GET /devices/{id}: the Device model's toArray() (casts applied), without the dependency columns."""
    out = {k: v for k, v in row.items() if k not in _DEPENDENCY}
    if legacy:
        # device_by_id_cache() of old releases: the raw row, strings everywhere.
        out = stringify(out)
    else:
        out[BOOL_STATUS] = bool(out[BOOL_STATUS])
        for flag in BOOL_FLAGS:
            if out[flag] is not None:
                out[flag] = out[flag] if int_flags else bool(out[flag])
        for column in DATE_COLUMNS:
            out[column] = iso_date(out[column])
        out["ip"] = out["ip"] or None
        for column in ("lat", "lng"):
            out[column] = None if out[column] is None else float(out[column])
    if location_as_object:
        out["location"] = location_object(estate.location_by_id.get(row["location_id"]))
    return out


def merge_port(row: dict, port: dict) -> dict:
    """SELECT d.*, ..., p.*: port columns follow, and the shared names (device_id, ignore, disabled) take the
    port's values while keeping their place in the row (PDO FETCH_ASSOC)."""
    out = dict(row)
    out.update(port)
    return out
