"""python -m harness.librenms_sim --host 127.0.0.1 --port PORT --token TOKEN [--seed 42] [--size 300]
[--stack-ratio 0.1] [--front-ports 8]"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from harness.librenms_sim.network import DEFAULT_FRONT_PORTS, MAX_FRONT_PORTS
from harness.librenms_sim.portspecials import MIN_FRONT_PORTS

LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m harness.librenms_sim",
                                     description="LibreNMS API v0 simulator on loopback.")
    parser.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 (or localhost) is accepted")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--token", default=None, help="API token (default: $LIBRENMS_SIM_TOKEN)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--stack-ratio", type=float, default=0.1)
    parser.add_argument("--front-ports", type=int, default=DEFAULT_FRONT_PORTS,
                        help=f"access ports per switch or stack member, {MIN_FRONT_PORTS}..{MAX_FRONT_PORTS} (uplinks, "
                             "LAGs, SVIs and loopbacks come on top)")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    return parser


def _quit(_signum, _frame):
    raise SystemExit(0)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.host not in LOOPBACK_NAMES:
        print(f"librenms simulator: refusing to bind {args.host}: loopback (127.0.0.1) only", file=sys.stderr)
        return 2
    token = args.token or os.environ.get("LIBRENMS_SIM_TOKEN", "")
    if not token:
        print("librenms simulator: no token: give --token or set LIBRENMS_SIM_TOKEN", file=sys.stderr)
        return 2
    if (not 0 <= args.port <= 65535 or args.size < 0 or not 0 <= args.stack_ratio <= 1
            or not MIN_FRONT_PORTS <= args.front_ports <= MAX_FRONT_PORTS):
        print("librenms simulator: --port, --size, --stack-ratio or --front-ports out of range", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _quit)
    signal.signal(signal.SIGINT, _quit)
    from harness.librenms_sim.server import make_server

    try:
        server = make_server(token, args.port, seed=args.seed, size=args.size, stack_ratio=args.stack_ratio,
                             front_ports=args.front_ports, verbose=args.verbose)
    except OSError as exc:
        print(f"librenms simulator: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on {server.url}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
