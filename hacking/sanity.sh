#!/usr/bin/env bash
# ansible-test sanity from a real ansible_collections/netbox_librenms/sync tree (it rejects symlinks),
# with the offline get-pip stand-in in place. Usage: hacking/sanity.sh [extra ansible-test args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
# Outside the checkout: inside it, ansible-test would ask the checkout's git which files exist and find none.
# A fresh directory per run, so that two runs never share a tree.
work=$(mktemp -d "${TMPDIR:-/tmp}/netbox_librenms_sync-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/netbox_librenms/sync"

pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, pathlib
text = (pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py").read_text()
print(re.search(r"pip='([0-9.]+)'", text).group(1))
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cp "$root/hacking/get_pip_standin.py" "$cache/get_pip_${pip_version//./_}.py"

mkdir -p "$dest"
# Only what git would ship: tracked files plus new ones that are not ignored.
(cd "$root" && git ls-files -co --exclude-standard -z \
  | "$venv/bin/python" -c 'import os,sys; [sys.stdout.write(p + "\0") for p in sys.stdin.read().split("\0") if p and os.path.lexists(p)]' \
  | tar --null -cf - -T -) | tar -xf - -C "$dest"

cd "$dest"
export PATH="$venv/bin:$PATH"
ansible-test sanity --venv --python 3.12 --color no "$@"
