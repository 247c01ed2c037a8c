#!/usr/bin/env bash
# `make test`: the services start in the background while the static checks run, because NetBox's first start
# on a fresh machine (install, then 336 migrations on one core) takes minutes the checks can use. The
# integration tests and molecule then find the services up. Services this script started are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
log=tests/output/services-up.log
mkdir -p tests/output

already_up=$("$python" -c 'from harness import stack; print(int(all(s.startswith("up") for s in stack.status().values())))')
setsid "$python" -m harness up >"$log" 2>&1 &
up_pid=$!

finish() {
  kill -- "-$up_pid" 2>/dev/null || true
  if [ "$already_up" = 0 ]; then "$python" -m harness down >/dev/null 2>&1 || true; fi
}
trap finish EXIT

make --no-print-directory ruff units sanity package ansible-lint
if ! wait "$up_pid"; then
  tail -n 5 "$log" >&2
  echo "make test: the services did not start; see $log" >&2
  exit 1
fi
make --no-print-directory integration molecule
