"""The HTTP side: a ThreadingHTTPServer on 127.0.0.1, keep-alive, fault switches, counters, control API.

In-process use (tests):

    with running_simulator(token="t0k3n", seed=42, size=300) as sim:
        requests.get(sim.url + "/api/v0/devices", headers={"X-Auth-Token": "t0k3n"})
"""

from __future__ import annotations

import collections
import contextlib
import hmac
import json
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from harness.librenms_sim import jsonfmt
from harness.librenms_sim.api import Answer, Routes, classify, error
from harness.librenms_sim.controlapi import DEFAULT_CONFIG, handle_control
from harness.librenms_sim.estate import Estate, build_estate
from harness.librenms_sim.inventory import seeded
from harness.librenms_sim.network import DEFAULT_FRONT_PORTS

LOOPBACK = "127.0.0.1"
ENDPOINTS = ("list_devices", "get_device", "inventory_all", "inventory", "locations", "devicegroups", "devicegroup",
             "ports", "device_ports", "ip_addresses", "device_ip", "links", "device_links", "other")
_CACHE_ENTRIES = 32
_CACHE_BYTES = 256 * 1024 * 1024
_ERROR_SEED = 20260210

HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
            b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
HTML_503 = (b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
            b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
            b"</body>\r\n</html>\r\n")
HTML_PORTAL = (b"<!DOCTYPE html>\n<html><head><title>Network Access Portal</title></head>\n<body><h1>Please log in"
               b"</h1><form method=\"post\" action=\"/portal/login\"><input name=\"user\"><input name=\"password\" "
               b"type=\"password\"></form></body></html>\n")
HTML_404 = b"<!DOCTYPE html>\n<html><head><title>Not Found</title></head><body>Not Found</body></html>\n"


class SimState:
    """Everything the handler threads share; the lock guards config, counters and caches."""

    def __init__(self, estate: Estate, token: str):
        self.lock = threading.Lock()
        self.estate = estate
        self.token = token
        self.config = dict(DEFAULT_CONFIG)
        self.stats = self._zero()
        self.requests = collections.deque(maxlen=2000)
        self.error_rng = seeded(_ERROR_SEED)
        self.wake = threading.Event()
        self._cache: collections.OrderedDict = collections.OrderedDict()
        self._fragments: dict = {}
        self.routes = Routes(self)

    @staticmethod
    def _zero() -> dict:
        return {"total": 0, "by_endpoint": dict.fromkeys(ENDPOINTS, 0), "by_status": {}}

    def config_snapshot(self) -> dict:
        with self.lock:
            return dict(self.config)

    # -- caches (valid for one estate object; a new estate starts empty) ---------------------------------
    def cache_get(self, estate, key):
        with self.lock:
            if estate is not self.estate:
                return None
            body = self._cache.get(key)
            if body is not None:
                self._cache.move_to_end(key)
            return body

    def cache_put(self, estate, key, body: bytes) -> None:
        with self.lock:
            if estate is not self.estate:
                return
            self._cache[key] = body
            while len(self._cache) > 1 and (
                    len(self._cache) > _CACHE_ENTRIES or sum(map(len, self._cache.values())) > _CACHE_BYTES):
                self._cache.popitem(last=False)

    def fragments(self, estate, legacy: bool) -> dict:
        cache = self._fragments.get((id(estate), legacy))
        if cache is not None and cache[0] is estate:
            return cache[1]
        from harness.librenms_sim.views import stringify

        built = {
            r["device_id"]: jsonfmt.row_fragment(stringify(r) if legacy else r) for r in estate.devices
        }
        with self.lock:
            if estate is self.estate:
                self._fragments = {k: v for k, v in self._fragments.items() if v[0] is estate}
                self._fragments[(id(estate), legacy)] = (estate, built)
        return built

    # -- control ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.config = dict(DEFAULT_CONFIG)
            self.stats = self._zero()
            self.requests.clear()
            self.error_rng = seeded(_ERROR_SEED)
            self.wake.set()
            self.wake = threading.Event()

    def configure(self, changes: dict) -> dict:
        with self.lock:
            self.config.update(changes)
            if "error_rate" in changes:
                self.error_rng = seeded(_ERROR_SEED)
            return dict(self.config)

    def load_estate(self, seed: int, size: int, stack_ratio: float, front_ports: int = DEFAULT_FRONT_PORTS) -> dict:
        estate = build_estate(seed=seed, size=size, stack_ratio=stack_ratio, front_ports=front_ports)
        with self.lock:
            self.estate = estate
            self._cache.clear()
            self._fragments = {}
            self.stats = self._zero()
            self.requests.clear()
        return estate.summary()

    # -- per request --------------------------------------------------------------------------------------
    def arrive(self, endpoint: str) -> tuple:
        with self.lock:
            self.stats["total"] += 1
            self.stats["by_endpoint"][endpoint] += 1
            return dict(self.config), self.wake

    def fault(self, cfg: dict):
        """The injected answer for this request, or None. Draws from the deterministic error sequence."""
        with self.lock:
            if self.config["fail_next"] > 0:
                self.config["fail_next"] -= 1
                return Answer(503, HTML_503, "text/html")
            rate = cfg["error_rate"]
            if rate > 0:
                draw, pick = self.error_rng.random(), self.error_rng.randrange(3)
                if draw < rate:
                    return (Answer(500, jsonfmt.compact({"message": "Server Error"}).encode()),
                            Answer(502, HTML_502, "text/html"), Answer(503, HTML_503, "text/html"))[pick]
        if cfg["not_json"]:
            return Answer(200, HTML_PORTAL, "text/html")
        if cfg["unauthorized"]:
            return Answer(401, jsonfmt.compact({"message": "Unauthenticated."}).encode())
        if cfg["forbidden"]:
            return Answer(403, jsonfmt.compact({"message": "This action is unauthorized."}).encode())
        return None

    def answered(self, status: int, record: dict) -> None:
        with self.lock:
            key = str(status)
            self.stats["by_status"][key] = self.stats["by_status"].get(key, 0) + 1
            record["status"] = status
            self.requests.append(record)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; no 40 ms delayed-ACK stalls
    server_version = "nginx"
    sys_version = ""
    server: SimServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def do_PATCH(self):
        self._serve("PATCH")

    def do_DELETE(self):
        self._serve("DELETE")

    # -- plumbing -----------------------------------------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, answer: Answer, method: str, extra_headers=()) -> None:
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            if answer.content_type == "application/json":
                self.send_header("Cache-Control", "no-cache, private")
            for name, value in extra_headers:
                self.send_header(name, value)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _serve(self, method: str) -> None:
        sim = self.server.sim
        split = urlsplit(self.path)
        body = self._body()
        if split.path.startswith("/_sim/") or split.path == "/_sim":
            status, payload = handle_control(sim, method, split.path, body)
            self._send(Answer(status, (json.dumps(payload, indent=2) + "\n").encode()), method)
            return
        if not (split.path == "/api" or split.path.startswith("/api/")):
            self._send(Answer(404, HTML_404, "text/html"), method)
            return
        try:
            self._serve_api(sim, method, split)
        except Exception:  # a simulator bug: answer like Laravel would, and say so on stderr
            traceback.print_exc()
            self._send(Answer(500, jsonfmt.compact({"message": "Server Error"}).encode()), method)

    def _serve_api(self, sim: SimState, method: str, split) -> None:
        path = split.path.rstrip("/")
        parts = [unquote(p) for p in path.split("/")[1:]]  # ["api", "v0", ...]
        below = parts[2:] if parts[:2] == ["api", "v0"] else None
        endpoint = classify(below) if below is not None else "other"
        cfg, wake = sim.arrive(endpoint)
        record = {"method": method, "path": split.path, "query": _loggable_query(split.query), "endpoint": endpoint,
                  "auth": None}
        if cfg["hang_seconds"] > 0:
            wake.wait(cfg["hang_seconds"])
        if cfg["latency_ms"] > 0:
            wake.wait(cfg["latency_ms"] / 1000.0)
        answer = sim.fault(cfg)
        if answer is None:
            params = _params(split.query)
            record["auth"] = how = _auth_method(self.headers, params)
            if how is None or not hmac.compare_digest(_token(self.headers, params, how).encode(), sim.token.encode()):
                answer = Answer(401, jsonfmt.compact({"message": "Unauthenticated."}).encode())
            elif method not in ("GET", "HEAD"):
                message = (f"The {method} method is not supported for route {path.lstrip('/')}. "
                           f"Supported methods: GET, HEAD.")
                answer = Answer(405, jsonfmt.compact({"message": message}).encode())
            elif below is None:
                answer = error(404, "This API route doesn't exist.")
            else:
                host = self.headers.get("Host") or f"{LOOPBACK}:{self.server.server_address[1]}"
                answer = sim.routes.dispatch(below, params, f"http://{host}")
        sim.answered(answer.status, record)
        self._send(answer, method)


def _params(query: str) -> dict:
    """Laravel's request input: last value wins, TrimStrings, then ConvertEmptyStringsToNull."""
    out = {}
    for key, raw in parse_qsl(query, keep_blank_values=True):
        value = raw.strip()
        out[key] = value if value != "" else None
    return out


def _loggable_query(query: str) -> dict:
    return {k: ("<redacted>" if k == "api_token" else v) for k, v in parse_qsl(query, keep_blank_values=True)}


def _auth_method(headers, params):
    """LibreNMS's ApiTokenGuard: X-Auth-Token first, then ?api_token=, then a Bearer token."""
    if headers.get("X-Auth-Token"):
        return "header"
    if params.get("api_token"):
        return "query"
    auth = headers.get("Authorization") or ""
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        return "bearer"
    return None


def _token(headers, params, how) -> str:
    if how == "header":
        return headers.get("X-Auth-Token").strip()
    if how == "query":
        return params["api_token"]
    return headers.get("Authorization")[7:].strip()


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, port: int, sim: SimState, verbose: bool = False):
        self.sim = sim
        self.verbose = verbose
        super().__init__((LOOPBACK, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"

    def shutdown(self) -> None:
        self.sim.wake.set()
        super().shutdown()


def make_server(token: str, port: int = 0, seed: int = 42, size: int = 300, stack_ratio: float = 0.1,
                verbose: bool = False, front_ports: int = DEFAULT_FRONT_PORTS) -> SimServer:
    """Build the estate first, then bind: once the port answers, the simulator is ready."""
    if not token:
        raise ValueError("a token is required")
    sim = SimState(build_estate(seed=seed, size=size, stack_ratio=stack_ratio, front_ports=front_ports), token)
    return SimServer(port, sim, verbose=verbose)


@contextlib.contextmanager
def running_simulator(token: str, port: int = 0, **estate_args):
    """Serve in a background thread for the duration of the with-block; yields the SimServer (.url, .sim)."""
    server = make_server(token, port, **estate_args)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_for_port(url: str, timeout: float = 10.0) -> None:
    import socket

    host, port = urlsplit(url).hostname, urlsplit(url).port
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{url} not answering after {timeout} s")
