"""netbox.netbox, the usual alternative, in the benchmark's own collections tree (.cache/bench/collections).

The PyPI package `ansible` bundles it. pip downloads that wheel (nothing is installed, .venv does not change)
and only the netbox.netbox files are unpacked; its modules then run with .venv's Python, which has the pynetbox
they need. Nothing of it is a dependency of the collection.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Tuple

from bench.context import PYTHON

ANSIBLE_PACKAGE = "ansible==14.5.0"
PREFIX = "ansible_collections/netbox/netbox/"


def ensure_netbox_collection(work: Path) -> Tuple[Path, str]:
    """(collections root to put on ANSIBLE_COLLECTIONS_PATH, netbox.netbox version); unpacked once, then reused."""
    root = work / "collections"
    manifest = root / PREFIX / "MANIFEST.json"
    if not manifest.exists():
        wheels = work / "wheels"
        if not list(wheels.glob("ansible-*.whl")):
            print(f"bench: downloading the {ANSIBLE_PACKAGE} wheel (about 51 MB) for netbox.netbox", flush=True)
            subprocess.run([PYTHON, "-m", "pip", "download", ANSIBLE_PACKAGE, "--no-deps", "--quiet",
                            "--dest", str(wheels)], check=True)
        wheel = sorted(wheels.glob("ansible-*.whl"))[-1]
        staging = work / "collections.partial"
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith(PREFIX) and not name.endswith("/"):
                    archive.extract(name, staging)
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
    return root, json.loads(manifest.read_text())["collection_info"]["version"]
