"""All services together: `up` starts what is not running and records the endpoints, `down` stops them."""

from __future__ import annotations

import json
import shutil
from typing import Iterable, Optional

from harness import netbox_service, postgres_service, redis_service, simulator_service
from harness.process import exclusive, port_in_use
from harness.settings import Settings, load_settings

# NetBox uses Redis databases 0 and 1; the collection's jobs and caches get their own.
COLLECTION_REDIS_DB = 2


def read_endpoints(settings: Optional[Settings] = None) -> dict:
    settings = settings or load_settings()
    try:
        return json.loads(settings.endpoints_file.read_text())
    except (OSError, ValueError):
        return {}


def up(settings: Optional[Settings] = None) -> dict:
    """Start what is not running; if a start fails, stop the services this call started, then raise."""
    settings = settings or load_settings()
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    previous = read_endpoints(settings)
    running_before = {name for name, state in status(settings).items() if state.startswith("up")}
    # Stacks on other ports (pytest-xdist workers, helpers) share the cache: the first NetBox install, its
    # secrets and its migrated snapshot are made once, and apt-get runs once, so starts take turns.
    try:
        with exclusive(settings.cache_dir / "harness-start.lock"):
            redis_service.start_redis(settings)
            postgres_service.start_postgres(settings)
            netbox = netbox_service.start_netbox(settings)
            librenms = simulator_service.start_simulator(settings, previous.get("librenms", {}).get("token", ""))
    except BaseException:
        _stop(settings, exclude=running_before)
        raise
    endpoints = {
        "netbox": netbox,
        "librenms": librenms,
        "redis": {"url": redis_service.redis_url(settings, COLLECTION_REDIS_DB)},
    }
    settings.endpoints_file.write_text(json.dumps(endpoints, indent=2))
    settings.endpoints_file.chmod(0o600)
    return endpoints


def _stop(settings: Settings, exclude: Iterable[str] = ()) -> None:
    # Reverse start order: the simulator and NetBox go before the stores they use.
    stoppers = (("librenms", simulator_service.stop_simulator), ("netbox", netbox_service.stop_netbox),
                ("postgresql", postgres_service.stop_postgres), ("redis", redis_service.stop_redis))
    for name, stop in stoppers:
        if name not in exclude:
            stop(settings)


def down(settings: Optional[Settings] = None) -> None:
    """Stop every service and drop the throwaway data; the NetBox install and snapshot stay cached."""
    settings = settings or load_settings()
    _stop(settings)
    postgres_service.drop_postgres_data(settings)
    shutil.rmtree(settings.run_dir, ignore_errors=True)


def status(settings: Optional[Settings] = None) -> dict:
    settings = settings or load_settings()
    ports = {
        "redis": settings.redis_port, "postgresql": settings.postgres_port,
        "netbox": settings.netbox_port, "librenms": settings.librenms_port,
    }
    return {name: ("up" if port_in_use(port) else "down") + f" (127.0.0.1:{port})" for name, port in ports.items()}
