"""What every benchmark shares: sizes, paths, the services' endpoints and the environments of the children."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Dict, List

from harness.settings import REPO_ROOT

BENCH_DIR = REPO_ROOT / "bench"
RESULTS_JSON = BENCH_DIR / "results.json"
BENCHMARKS_MD = REPO_ROOT / "BENCHMARKS.md"
WORK_DIR = REPO_ROOT / ".cache" / "bench"
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
SEED = 42


@dataclasses.dataclass(frozen=True)
class Sizes:
    search: List[int]  # B1: simulated LibreNMS devices
    import_devices: int  # B2/B3: new devices per import
    import_estate: int  # B2/B3: simulated devices the import's devices are picked from
    inventory: int  # B4: simulated devices
    inventory_rounds: int
    sync_estate: int = 400  # B6: simulated devices; the ready ones imported (about 300 NetBox devices), then synced
    sync_front_ports: int = 40  # B6: access ports per switch or member (about 50 interfaces a device)
    sync_loop_objects: int = 210  # B6: objects in the netbox.netbox loop's sample
    # B6: rounds of the sync and the floor, alternated (sync first, then floor first, ...). The full size runs one:
    # at about 13,000 interfaces each contender takes about 25 minutes on 2 cores.
    sync_rounds: int = 2
    import_rounds: int = 3  # B2: rounds of import then floor, alternated
    floor_concurrency: tuple = (1, 2, 3, 4)  # B2: the floor's curve, raw bulk creates this many at once
    background_devices: int = 2000  # B5: devices of one background import
    background_estate: int = 5000  # B5: simulated devices they are picked from
    background_workers: tuple = (1, 2)  # B5: rq workers
    background_batch: int = 0  # B5: batch_jobs_threshold (0: the module's default)


FULL = Sizes(search=[1000, 5000], import_devices=300, import_estate=800, inventory=10_000, inventory_rounds=5,
             sync_rounds=1)
QUICK = Sizes(search=[200, 400], import_devices=20, import_estate=120, inventory=1000, inventory_rounds=2,
              sync_estate=40, sync_front_ports=4, sync_loop_objects=21,
              import_rounds=2, background_devices=40, background_estate=120, background_batch=10)


@dataclasses.dataclass
class Context:
    sizes: Sizes
    endpoints: dict
    work: Path

    @property
    def netbox_url(self) -> str:
        return self.endpoints["netbox"]["url"]

    @property
    def librenms_url(self) -> str:
        return self.endpoints["librenms"]["url"]

    def child_env(self, collections: List[Path] = ()) -> Dict[str, str]:
        """Environment of a measured child: the checkout as the collection, credentials, no Redis.

        Without NETBOX_LIBRENMS_REDIS_URL nothing is cached between runs and nothing goes to a worker, so each
        run does its whole work. The netbox.netbox modules read the v1 token (they send `Token <key>`).
        """
        env = {key: value for key, value in os.environ.items() if not key.startswith(("NETBOX_", "LIBRENMS_"))}
        env.pop("ANSIBLE_CONFIG", None)
        roots = [str(REPO_ROOT / "collections"), *(str(path) for path in collections)]
        env.update(
            ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(roots),
            ANSIBLE_PYTHON_INTERPRETER=PYTHON,
            ANSIBLE_LOCAL_TEMP=str(self.work / "ansible-tmp"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            PATH=os.pathsep.join([str(VENV_BIN), env.get("PATH", "")]),
            PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "collections"), str(REPO_ROOT)]),
            NETBOX_URL=self.netbox_url,
            NETBOX_TOKEN=self.endpoints["netbox"]["token_v2"],
            NETBOX_TOKEN_V1=self.endpoints["netbox"]["token_v1"],
            LIBRENMS_URL=self.librenms_url,
            LIBRENMS_TOKEN=self.endpoints["librenms"]["token"],
        )
        return env

    def secrets(self) -> List[str]:
        return [self.endpoints["netbox"]["token_v2"], self.endpoints["netbox"]["token_v1"],
                self.endpoints["librenms"]["token"]]
