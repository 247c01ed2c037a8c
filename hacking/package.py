"""Packaging checks of `make package`: what a user or an execution environment gets from the tarball.

Builds the collection into build/, checks that the tarball ships no development files, installs it offline
into a temporary collections path, reads every plugin's documentation from that installed copy, lints the
collection's documentation, and checks with ansible-builder that an execution environment gets exactly the
runtime dependencies of requirements.txt: `introspect --sanitize` on the installed copy, and `create` of a
build context whose own galaxy and introspection steps are then replayed here (no container engine needed).
Each failed check prints one line naming what is wrong and exits 1.

Usage: .venv/bin/python hacking/package.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Path parts that only the checkout needs; none may appear in the tarball.
DEVELOPMENT_PARTS = {".venv", ".cache", ".git", ".pytest_cache", ".ruff_cache", "__pycache__", "build",
                     "bench", "collections", "harness", "hacking", "tests"}
MUST_SHIP = ("MANIFEST.json", "README.md", "requirements.txt", "meta/runtime.yml", "meta/execution-environment.yml",
             "meta/ee-requirements.txt", "playbooks/import.yml", "extensions/ee/execution-environment.yml",
             "extensions/awx/credential_types/librenms.json", "extensions/awx/credential_types/netbox.json",
             "extensions/awx/survey_spec.json")


class PackageError(Exception):
    """One failed check; its message is the one line the user sees."""


def run(command: list, cwd: Path = ROOT, env: dict | None = None) -> str:
    completed = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                               check=False, timeout=600)
    if completed.returncode != 0:
        detail = (completed.stderr.strip() or completed.stdout.strip()).splitlines()[-5:]
        raise PackageError(f"`{' '.join(str(p) for p in command[:4])} ...` failed: {' | '.join(detail)}")
    return completed.stdout


def build_tarball() -> Path:
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    tarball = ROOT / "build" / f"netbox_librenms-sync-{version}.tar.gz"
    run([BIN / "ansible-galaxy", "collection", "build", "--force", "--output-path", ROOT / "build", ROOT])
    return tarball


def check_contents(tarball: Path) -> int:
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    junk = sorted(name for name in names
                  if DEVELOPMENT_PARTS & set(Path(name).parts) or name.endswith((".pyc", ".tar.gz")))
    if junk:
        raise PackageError(f"the tarball ships development files ({len(junk)}): {', '.join(junk[:8])}; "
                           "add them to build_ignore in galaxy.yml")
    missing = [name for name in MUST_SHIP if name not in names]
    if missing:
        raise PackageError(f"the tarball lacks {', '.join(missing)}")
    return len([name for name in names if not name.endswith("/")])


def install(tarball: Path, collections: Path, env: dict) -> Path:
    run([BIN / "ansible-galaxy", "collection", "install", "--offline", "--no-deps", "-p", collections, tarball],
        env=env)
    return collections / "ansible_collections" / "netbox_librenms" / "sync"


def check_docs(installed: Path, env: dict) -> int:
    """ansible-doc of every module and the inventory plugin, answered from the installed copy."""
    plugins = {"module": sorted(f"netbox_librenms.sync.{p.stem}" for p in (installed / "plugins/modules").glob("*.py")),
               "inventory": sorted(f"netbox_librenms.sync.{p.stem}"
                                   for p in (installed / "plugins/inventory").glob("*.py"))}
    count = 0
    for kind, names in plugins.items():
        docs = json.loads(run([BIN / "ansible-doc", "--json", "-t", kind, *names], env=env))
        for name in names:
            filename = ((docs.get(name) or {}).get("doc") or {}).get("filename", "")
            if not filename.startswith(str(installed)):
                raise PackageError(f"ansible-doc -t {kind} {name} did not come from the installed collection")
            count += 1
    run([BIN / "antsibull-docs", "lint-collection-docs", "--plugin-docs", installed], env=env)
    return count


def runtime_requirements() -> dict:
    """requirements.txt's pins by canonical name."""
    return parse_requirements((ROOT / "requirements.txt").read_text().splitlines())


def parse_requirements(lines: list) -> dict:
    """Requirement lines (comments and blank lines skipped) by canonical package name."""
    found = {}
    for raw in lines:
        text = raw.split("#", 1)[0].strip()
        if text:
            requirement = Requirement(text)
            found[canonicalize_name(requirement.name)] = requirement
    return found


def compare_requirements(lines: list, source: str) -> list:
    """The EE's Python requirements must name exactly requirements.txt's packages and admit its pins."""
    wanted = runtime_requirements()
    got = parse_requirements(lines)
    if set(got) != set(wanted):
        extra, missing = sorted(set(got) - set(wanted)), sorted(set(wanted) - set(got))
        raise PackageError(f"{source} gives the execution environment {sorted(got)}, requirements.txt lists "
                           f"{sorted(wanted)} (extra {extra}, missing {missing}); fix meta/ee-requirements.txt")
    for name, pinned in wanted.items():
        version = next(iter(pinned.specifier)).version
        if not got[name].specifier.contains(version, prereleases=True):
            raise PackageError(f"{source}: {got[name]} excludes the tested {name}=={version} of requirements.txt")
    return sorted(got)


def check_introspection(collections: Path, work: Path) -> list:
    pip_file = work / "introspected.txt"
    # --sanitize is what ansible-builder 3 does anyway (the flag stays for older callers); it drops
    # requirements ansible-core already brings and merges duplicates across collections.
    run([BIN / "ansible-builder", "introspect", "--sanitize", collections, "--write-pip", pip_file])
    lines = pip_file.read_text().splitlines() if pip_file.exists() else []
    return compare_requirements(lines, "ansible-builder introspect")


def check_build_context(installed: Path, tarball: Path, work: Path) -> list:
    """`ansible-builder create` of the shipped example, and of the same definition fed with our tarball.

    The second context is then used the way the image build uses it: its requirements.yml installed
    offline (the galaxy stage) and its own introspect script run on the result (the builder stage).
    """
    example = installed / "extensions" / "ee" / "execution-environment.yml"
    run([BIN / "ansible-builder", "create", "-f", example, "--context", work / "context-galaxy"])
    definition = yaml.safe_load(example.read_text())
    definition["additional_build_files"] = [{"src": str(tarball), "dest": "collections"}]
    definition["dependencies"]["galaxy"] = {"collections": [{"name": f"collections/{tarball.name}", "type": "file"}]}
    local = work / "execution-environment-tarball.yml"
    local.write_text(yaml.safe_dump(definition, sort_keys=False))
    context = work / "context-tarball"
    run([BIN / "ansible-builder", "create", "-f", local, "--context", context])
    build = context / "_build"
    if not (build / "collections" / tarball.name).is_file():
        raise PackageError(f"the build context lacks the collection tarball under {build / 'collections'}")
    image_collections = work / "image-collections"
    run([BIN / "ansible-galaxy", "collection", "install", "--offline", "--no-deps", "-r", "requirements.yml",
         "-p", image_collections], cwd=build, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(image_collections)))
    pip_file = work / "context-requirements.txt"
    run([sys.executable, build / "scripts" / "introspect.py", "introspect", image_collections, "--write-pip",
         pip_file])
    return compare_requirements(pip_file.read_text().splitlines(), "the build context's introspection")


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="netbox_librenms_sync-package.") as tmp:
        work = Path(tmp)
        collections = work / "collections"
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
        try:
            tarball = build_tarball()
            files = check_contents(tarball)
            installed = install(tarball, collections, env)
            documented = check_docs(installed, env)
            introspected = check_introspection(collections, work)
            context = check_build_context(installed, tarball, work)
        except PackageError as exc:
            print(f"package: {exc}", file=sys.stderr)
            return 1
    print(f"package: {tarball.relative_to(ROOT)} ({files} files) installs offline; ansible-doc answers for "
          f"{documented} plugins from the installed copy; antsibull-docs lint clean; execution environment "
          f"requirements {', '.join(introspected)} (introspect) and {', '.join(context)} (build context); "
          f"{time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
