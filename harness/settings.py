"""Where the harness keeps its state and which loopback ports it uses (all overridable by env)."""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
from pathlib import Path

from harness.errors import HarnessError

REPO_ROOT = Path(__file__).resolve().parent.parent
NETBOX_VERSION = "4.7.3"
LOOPBACK = "127.0.0.1"
# The variables that move the four services, in the order redis, postgresql, netbox, librenms.
PORT_VARIABLES = ("HARNESS_REDIS_PORT", "HARNESS_POSTGRES_PORT", "HARNESS_NETBOX_PORT", "HARNESS_LIBRENMS_PORT")


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise HarnessError(f"{name}={raw!r} is not a TCP port number")
    return int(raw)


@dataclasses.dataclass(frozen=True)
class Settings:
    cache_dir: Path
    run_dir: Path
    redis_port: int
    postgres_port: int
    netbox_port: int
    librenms_port: int
    librenms_seed: int
    librenms_size: int
    librenms_front_ports: int

    @property
    def endpoints_file(self) -> Path:
        return self.run_dir / "endpoints.json"

    @property
    def netbox_home(self) -> Path:
        """NetBox venv, configuration secrets and the migrated snapshot, keyed by NetBox version."""
        return self.cache_dir / f"netbox-{NETBOX_VERSION}"


def load_settings() -> Settings:
    cache_dir = Path(os.environ.get("NETBOX_LIBRENMS_CACHE", REPO_ROOT / ".cache")).resolve()
    return Settings(
        cache_dir=cache_dir,
        run_dir=Path(os.environ.get("HARNESS_RUN_DIR", cache_dir / "run")).resolve(),
        redis_port=_port(PORT_VARIABLES[0], 56379),
        postgres_port=_port(PORT_VARIABLES[1], 55432),
        netbox_port=_port(PORT_VARIABLES[2], 58000),
        librenms_port=_port(PORT_VARIABLES[3], 58100),
        librenms_seed=int(os.environ.get("HARNESS_LIBRENMS_SEED", "42")),
        librenms_size=int(os.environ.get("HARNESS_LIBRENMS_SIZE", "300")),
        librenms_front_ports=int(os.environ.get("HARNESS_LIBRENMS_FRONT_PORTS", "8")),
    )


def find_python312() -> str:
    """NetBox 4.7 and ansible-core 2.21 need Python 3.12; these machines have it through pyenv."""
    explicit = os.environ.get("PYTHON312")
    candidates = [explicit] if explicit else []
    candidates.append(shutil.which("python3.12") or "")
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", "3.12.*", "bin", "python3.12")), reverse=True)
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and "shims" not in candidate:
            return candidate
    raise HarnessError("Python 3.12 not found: set PYTHON312 or install it (pyenv install 3.12)")
