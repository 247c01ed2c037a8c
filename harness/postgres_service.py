"""A throwaway PostgreSQL cluster from Debian's packages, on its own loopback port and data directory."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path
from typing import Optional

from harness.errors import HarnessError
from harness.process import port_in_use, require_free_port, run, wait_until
from harness.settings import LOOPBACK, Settings
from harness.system_packages import ensure_debian_package

DB_USER = "netbox"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        ensure_debian_package("postgresql", "/usr/lib/postgresql")
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise HarnessError("postgresql: no initdb under /usr/lib/postgresql/*/bin after installing the package")
    return Path(found[-1]).parent


def _as_cluster_owner(argv: list) -> list:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def _datadir(settings: Settings) -> Optional[Path]:
    """Where the cluster lives: as root, under the postgres user's own home, whatever the clone's path.

    PostgreSQL runs as `postgres`, which cannot reach a checkout in a directory other users cannot
    traverse (root's home, say). Its home is always reachable; the run directory's hash keeps two
    harnesses (two clones, or HARNESS_RUN_DIR) apart.
    """
    if os.geteuid() != 0:
        return settings.run_dir / "postgres"
    try:
        home = Path(pwd.getpwnam("postgres").pw_dir)
    except KeyError:  # the package (which creates the user) is not installed yet: no cluster either
        return None
    return home / "netbox_librenms_sync" / hashlib.sha256(str(settings.run_dir).encode()).hexdigest()[:16]


def _pg(settings: Settings, tool: str, *args: str) -> list:
    return _as_cluster_owner([str(_bindir() / tool), *args])


def _conn_args(settings: Settings) -> list:
    return ["-h", LOOPBACK, "-p", str(settings.postgres_port), "-U", DB_USER]


def start_postgres(settings: Settings) -> None:
    _bindir()  # installs the package first: it creates the postgres user, and so the data's place
    data = _datadir(settings)
    if data is None:
        raise HarnessError("postgresql: the package is installed but there is no postgres user")
    log = data.parent / f"{data.name}.log"
    if (data / "postmaster.pid").exists() and port_in_use(settings.postgres_port):
        return
    require_free_port(settings.postgres_port, "postgresql")
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        if os.geteuid() == 0:
            for path in (data.parent, data):
                shutil.chown(path, "postgres", "postgres")
            data.chmod(0o700)
            if subprocess.run(_as_cluster_owner(["test", "-w", str(data)]), check=False).returncode != 0:
                raise HarnessError(f"postgresql: user postgres cannot write {data}")
        run("postgresql initdb", _pg(settings, "initdb", "-D", str(data), "-U", DB_USER, "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8"), log=None)
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres", "postgres")
    # A throwaway cluster: durability settings off make NetBox's 336 migrations much faster.
    options = (f"-c listen_addresses={LOOPBACK} -p {settings.postgres_port} -k {data} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    run("postgresql start", _pg(settings, "pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "start"))
    wait_until("postgresql", lambda: port_in_use(settings.postgres_port), 30, log=log)


def stop_postgres(settings: Settings) -> None:
    data = _datadir(settings)
    if data is not None and (data / "postmaster.pid").exists():
        subprocess.run(_pg(settings, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"),
                       capture_output=True, check=False)


def drop_postgres_data(settings: Settings) -> None:
    """Delete a stopped cluster's data and log (they may live outside the run directory)."""
    data = _datadir(settings)
    if data is not None:
        shutil.rmtree(data, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            data.parent.joinpath(f"{data.name}.log").unlink()


def create_database(settings: Settings, name: str) -> None:
    run("postgresql dropdb", _pg(settings, "dropdb", *_conn_args(settings), "--if-exists", name))
    run("postgresql createdb", _pg(settings, "createdb", *_conn_args(settings), name))


def copy_database(settings: Settings, source: str, target: str) -> None:
    """`target` becomes a copy of `source`, made by PostgreSQL from its files: seconds even for a big database.

    PostgreSQL copies only a database nobody is connected to, so its users stop first; a backend can outlive
    its client for a moment, hence the retries.
    """
    drop_database(settings, target)
    copy = _pg(settings, "createdb", *_conn_args(settings), "-T", source, target)
    for _attempt in range(50):
        proc = subprocess.run(copy, capture_output=True, text=True, check=False)
        if proc.returncode == 0:
            return
        if "is being accessed by other users" not in proc.stderr:
            break
        time.sleep(0.2)
    raise HarnessError(f"postgresql: copying database {source} to {target} failed: {proc.stderr.strip()[:200]}")


def drop_database(settings: Settings, name: str) -> None:
    run("postgresql dropdb", _pg(settings, "dropdb", *_conn_args(settings), "--if-exists", "--force", name))


def dump_database(settings: Settings, name: str, target: Path) -> None:
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        proc = subprocess.run(_pg(settings, "pg_dump", *_conn_args(settings), "-Fc", name), stdout=out,
                              stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise HarnessError(f"postgresql pg_dump of {name} failed: {proc.stderr.decode().strip()[:200]}")
    tmp.replace(target)


def restore_database(settings: Settings, name: str, dump: Path) -> None:
    create_database(settings, name)
    with open(dump, "rb") as src:
        proc = subprocess.run(_pg(settings, "pg_restore", *_conn_args(settings), "--no-owner", "-d", name),
                              stdin=src, capture_output=True, check=False)
    if proc.returncode != 0:
        raise HarnessError(f"postgresql pg_restore of {dump} failed: {proc.stderr.decode().strip()[:200]}")
