"""Debian packages the services need, installed with apt-get only when missing."""

from __future__ import annotations

import os
import shutil

from harness.errors import HarnessError
from harness.process import run

_apt_updated = False


def ensure_debian_package(package: str, probe: str) -> None:
    """Install `package` when the file or command `probe` is absent."""
    global _apt_updated  # noqa: PLW0603 - one `apt-get update` per process is enough
    if shutil.which(probe) or os.path.exists(probe):
        return
    if not shutil.which("apt-get"):
        raise HarnessError(f"{package} is not installed ({probe} missing) and apt-get is not available to install it")
    if os.geteuid() != 0:
        raise HarnessError(f"{package} is not installed ({probe} missing); run `sudo apt-get install {package}`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        run(f"apt-get update for {package}", ["apt-get", "update", "-qq"], env=env)
        _apt_updated = True
    run(f"installing {package}", ["apt-get", "install", "-y", "-qq", package], env=env)
    if not (shutil.which(probe) or os.path.exists(probe)):
        raise HarnessError(f"{package} installed but {probe} is still missing")
