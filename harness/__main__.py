"""`python -m harness up|down|status|env|python312`: the services for tests, the demo and benchmarks."""

from __future__ import annotations

import shlex
import sys

from harness.errors import HarnessError


def main(argv: list) -> int:
    command = argv[0] if argv else "status"
    try:
        if command == "python312":
            from harness.settings import find_python312

            print(find_python312())
            return 0
        from harness import stack

        if command == "up":
            endpoints = stack.up()
            print(f"netbox   {endpoints['netbox']['url']}\nlibrenms {endpoints['librenms']['url']}\n"
                  f"redis    {endpoints['redis']['url']}")
        elif command == "down":
            stack.down()
            print("services stopped")
        elif command == "status":
            for name, state in stack.status().items():
                print(f"{name:10} {state}")
        elif command == "env":
            print(_shell_env(stack.read_endpoints()))
        else:
            print(f"unknown command {command!r}: use up, down, status, env or python312", file=sys.stderr)
            return 2
    except HarnessError as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _shell_env(endpoints: dict) -> str:
    """Variables the modules read, for `eval "$(python -m harness env)"` in a shell or the demo."""
    if not endpoints:
        raise HarnessError("the services are not up: run `make services-up` first")
    values = {
        "NETBOX_URL": endpoints["netbox"]["url"],
        "NETBOX_TOKEN": endpoints["netbox"]["token_v2"],
        "LIBRENMS_URL": endpoints["librenms"]["url"],
        "LIBRENMS_TOKEN": endpoints["librenms"]["token"],
        "NETBOX_LIBRENMS_REDIS_URL": endpoints["redis"]["url"],
    }
    return "\n".join(f"export {key}={shlex.quote(str(value))}" for key, value in values.items())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
