"""A tiny stdlib client for the simulator's control API (/_sim/*), so the harness needs no third-party package.

    ctl = SimulatorControl("http://127.0.0.1:8765")
    ctl.reset()
    ctl.configure(fail_next=2, latency_ms=50)
    ctl.stats()["by_endpoint"]["list_devices"]
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class SimulatorControlError(RuntimeError):
    pass


class SimulatorControl:
    def __init__(self, base_url: str, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, payload=None):
        if not self.base_url.startswith(("http://", "https://")):
            raise SimulatorControlError(f"not an http URL: {self.base_url}")
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method,  # noqa: S310 - http only
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise SimulatorControlError(f"{method} {path}: HTTP {exc.code}: {detail}") from None

    def stats(self) -> dict:
        return self._call("GET", "/_sim/stats")

    def requests(self) -> list:
        """The last API requests seen (method, path, query with api_token redacted, endpoint, auth, status)."""
        return self._call("GET", "/_sim/requests")["requests"]

    def reset(self) -> None:
        self._call("POST", "/_sim/reset", {})

    def configure(self, **switches) -> dict:
        return self._call("POST", "/_sim/config", switches)

    def config(self) -> dict:
        return self._call("GET", "/_sim/config")

    def estate(self) -> dict:
        """{"seed", "size", "stack_ratio", "front_ports", "devices", "specials": {name: device_id}}."""
        return self._call("GET", "/_sim/estate")

    def load_estate(self, seed: int, size: int, stack_ratio: float = 0.1, front_ports=None) -> dict:
        """Rebuild the estate; front_ports None keeps the simulator's default."""
        payload = {"seed": seed, "size": size, "stack_ratio": stack_ratio}
        if front_ports is not None:
            payload["front_ports"] = front_ports
        return self._call("POST", "/_sim/estate", payload)
