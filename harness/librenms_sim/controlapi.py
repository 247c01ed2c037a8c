"""The server side of /_sim/*: counters, fault switches, estate reloads. No token, never counted."""

from __future__ import annotations

import json

from harness.librenms_sim.network import DEFAULT_FRONT_PORTS, MAX_FRONT_PORTS
from harness.librenms_sim.portspecials import MIN_FRONT_PORTS

DEFAULT_CONFIG = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "fail_next": 0,
    "hang_seconds": 0.0,
    "unauthorized": False,
    "forbidden": False,
    "not_json": False,
    "legacy_types": False,
    "location_object": False,
    "old_server": False,
    "single_device_int_flags": False,
}
_NUMBERS = {"latency_ms": (0, 600000), "error_rate": (0.0, 1.0), "fail_next": (0, 10**6), "hang_seconds": (0, 3600)}


def validate_config(payload) -> dict:
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object of switches")
    out = {}
    for key, given in payload.items():
        value = given
        if key not in DEFAULT_CONFIG:
            raise ValueError(f"unknown switch {key!r}; known: {', '.join(DEFAULT_CONFIG)}")
        if key in _NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key} must be a number")
            low, high = _NUMBERS[key]
            if not low <= value <= high:
                raise ValueError(f"{key} must be between {low} and {high}")
            if key == "fail_next" and int(value) != value:
                raise ValueError("fail_next must be an integer")
            value = int(value) if key == "fail_next" else value
        elif not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        out[key] = value
    return out


def _estate_args(payload) -> dict:
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    unknown = set(payload) - {"seed", "size", "stack_ratio", "front_ports"}
    if unknown:
        raise ValueError(f"unknown estate keys: {', '.join(sorted(unknown))}")
    seed, size = payload.get("seed", 42), payload.get("size", 300)
    ratio = payload.get("stack_ratio", 0.1)
    front = payload.get("front_ports", DEFAULT_FRONT_PORTS)
    if isinstance(front, bool) or not isinstance(front, int) or not MIN_FRONT_PORTS <= front <= MAX_FRONT_PORTS:
        raise ValueError(f"front_ports must be an integer between {MIN_FRONT_PORTS} and {MAX_FRONT_PORTS}")
    for name, value in (("seed", seed), ("size", size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer")
    if size > 200000:
        raise ValueError("size must be at most 200000")
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 <= ratio <= 1:
        raise ValueError("stack_ratio must be a number between 0 and 1")
    return {"seed": seed, "size": size, "stack_ratio": float(ratio), "front_ports": front}


def handle_control(sim, method: str, path: str, body: bytes):  # noqa: PLR0911 - router
    """(status, JSON-able payload) for one /_sim request."""
    route = path.rstrip("/")
    try:
        payload = json.loads(body) if body.strip() else {}
    except ValueError:
        return 400, {"error": "the body is not JSON"}
    try:
        if route == "/_sim/stats" and method == "GET":
            with sim.lock:
                return 200, json.loads(json.dumps(sim.stats))
        if route == "/_sim/requests" and method == "GET":
            with sim.lock:
                return 200, {"requests": list(sim.requests)}
        if route == "/_sim/reset" and method == "POST":
            sim.reset()
            return 200, {"status": "ok"}
        if route == "/_sim/config" and method == "GET":
            return 200, sim.config_snapshot()
        if route == "/_sim/config" and method == "POST":
            return 200, sim.configure(validate_config(payload))
        if route == "/_sim/estate" and method == "GET":
            return 200, sim.estate.summary()
        if route == "/_sim/estate" and method == "POST":
            return 200, sim.load_estate(**_estate_args(payload))
    except ValueError as exc:
        return 400, {"error": str(exc)}
    return 404, {"error": f"no control route {method} {route}",
                 "routes": ["GET /_sim/stats", "GET /_sim/requests", "POST /_sim/reset", "GET /_sim/config",
                            "POST /_sim/config", "GET /_sim/estate", "POST /_sim/estate"]}
