"""``python -m bench.peers postgraphile|prefect [--repetitions N] [--quick]``.

Installs the peer into ``${CAIRN_BENCH_CACHE:-~/.cache/cairn-bench-peers}``, runs it and
``cairn serve`` on the same embedded PostgreSQL and data, interleaves them, and prints a
markdown table of Cairn/peer ratios (>1 = Cairn faster) with the load average.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bench.peers import wrk

PEERS = ("postgraphile", "prefect")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The peer, ``--repetitions`` (at least 1, 3 by default) and ``--quick``."""
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    parser.add_argument("peer", choices=PEERS, help="the system to run against Cairn")
    parser.add_argument(
        "--repetitions",
        type=int,
        default=3,
        help="interleaved repetitions, the order flipped each one (default 3)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer requests: a smoke run, not a measurement"
    )
    args = parser.parse_args(argv)
    if args.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    wrk.ensure_installed()  # before minutes of installing and seeding, not after
    if args.peer == "postgraphile":
        from bench.peers import postgraphile as peer
    else:
        from bench.peers import prefect as peer  # type: ignore[no-redef]
    print(peer.main(args.repetitions, args.quick))


if __name__ == "__main__":
    main()
