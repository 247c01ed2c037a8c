"""Shared constants and the small requests client of the simulator tests."""

from __future__ import annotations

import requests

TOKEN = "sim-test-token-0123456789"
DEFAULT_ESTATE = {"seed": 42, "size": 300, "stack_ratio": 0.1, "front_ports": 8}


class Api:
    """requests against the simulator with the token header, as the collection's client sends it."""

    def __init__(self, url: str, token: str = TOKEN):
        self.url = url
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = token

    def get(self, path: str, timeout: float = 30, **params) -> requests.Response:
        return self.session.get(self.url + "/api/v0" + path, params=params or None, timeout=timeout)

    def json(self, path: str, **params) -> dict:
        response = self.get(path, **params)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()

    def devices(self, **params) -> list:
        body = self.json("/devices", **params)
        assert body["count"] == len(body["devices"])
        return body["devices"]
