"""Command line of the comparison client. This module only parses; the work lives elsewhere.

    python -m comparison demo      # embedded host in-process: tables, out/demo.json, the figure
    python -m comparison figure out/demo.json out/figure.png   # redraw the figures only
    python -m comparison compare --base-url http://localhost:7071 [--function-key KEY]

Errors are one sentence on stderr and exit code 1; bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from comparison.client import DEFAULT_BASE_URL, ClientError, app_root_url
from comparison.compare import compare_command
from comparison.console import Console
from comparison.demo import DEFAULT_SWEEP_NS, SWEEP_LATENCY_MS, DemoOptions, run_demo
from comparison.profile import DEFAULT_TIME_SCALE
from contract import parse_whole_number

EXIT_ERROR = 1


def _whole_number(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return parse_whole_number(text, minimum=minimum)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text[:20]!r}: {exc}") from None

    return parse


_positive_int = _whole_number(1)
_non_negative_int = _whole_number(0)


def _base_url(text: str) -> str:
    try:
        return app_root_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _int_list(text: str) -> tuple[int, ...]:
    values = tuple(_positive_int(part.strip()) for part in text.split(",") if part.strip())
    if not values:
        raise argparse.ArgumentTypeError("expected a comma-separated list such as 5,10,20")
    return values


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m comparison",
        description="Run the anti-pattern and its two fixes and compare them.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--count", type=_positive_int, default=50, help="invoices (default 50)")
    common.add_argument("--seed", type=_non_negative_int, default=0, help="seed (default 0)")
    common.add_argument("-q", "--quiet", action="store_true", help="hide progress")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{demo,compare}")

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="start the embedded host in-process: tables, out/demo.json and the figure",
    )
    demo.add_argument(
        "--speedup",
        type=_positive_int,
        default=round(1 / DEFAULT_TIME_SCALE),
        help="the Azure-like profile runs this many times faster than Azure (default 50)",
    )
    demo.add_argument(
        "--sweep-ns",
        type=_int_list,
        default=DEFAULT_SWEEP_NS,
        help="N values of the sweep (default 5,10,20,50)",
    )
    demo.add_argument(
        "--sweep-latency-ms",
        type=_non_negative_int,
        default=SWEEP_LATENCY_MS,
        help=f"billing API latency during the sweep (default {SWEEP_LATENCY_MS})",
    )
    demo.add_argument("--no-sweep", action="store_true", help="skip the sweep over N")
    demo.add_argument("--no-plot", action="store_true", help="skip the figure")
    demo.add_argument(
        "--out", type=Path, default=Path("out"), help="folder for demo.json (default out/)"
    )
    demo.add_argument(
        "--figure",
        type=Path,
        default=None,
        help="where to write the figure, the details beside it (default out/figure.png)",
    )
    demo.add_argument("-v", "--verbose", action="store_true", help="show the app's own logs")

    figure = sub.add_parser("figure", help="redraw the figures from a demo.json")
    figure.add_argument("results", type=Path, help="a demo.json written by the demo")
    figure.add_argument(
        "png", type=Path, help="where to write the figure (the details go beside it)"
    )

    compare = sub.add_parser(
        "compare",
        parents=[common],
        help="compare the three orchestrators on a running host (make serve, func start, Azure)",
    )
    compare.add_argument(
        "--base-url",
        type=_base_url,
        default=DEFAULT_BASE_URL,
        help=f"the app's root URL, without /api (default {DEFAULT_BASE_URL})",
    )
    compare.add_argument(
        "--function-key",
        default=os.environ.get("FUNCTION_KEY"),
        help="function key, sent as x-functions-key (default: $FUNCTION_KEY)",
    )
    compare.add_argument(
        "--timeout",
        type=_positive_int,
        default=3600,
        help="seconds to wait for the runs (default 3600)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(quiet=getattr(args, "quiet", False))
    try:
        if args.command == "figure":
            return redraw_figure(args.results, args.png, console)
        if args.command == "demo":
            options = DemoOptions(
                count=args.count,
                seed=args.seed,
                time_scale=1 / args.speedup,
                sweep_ns=() if args.no_sweep else args.sweep_ns,
                sweep_latency_ms=args.sweep_latency_ms,
                out_dir=args.out,
                figure=args.figure,
                plot=not args.no_plot,
                verbose=args.verbose,
            )
            return asyncio.run(run_demo(options, console))
        return asyncio.run(
            compare_command(
                console,
                base_url=args.base_url,
                function_key=args.function_key,
                count=args.count,
                seed=args.seed,
                timeout_s=args.timeout,
            )
        )
    except ClientError as exc:
        console.error(str(exc))
        return EXIT_ERROR
    except OSError as exc:  # --out not writable, or the embedded host could not start
        where = f": {exc.filename}" if exc.filename else ""
        console.error(f"{exc.strerror or exc}{where}.")
        return EXIT_ERROR
    except KeyboardInterrupt:
        console.error("Interrupted.")
        return 130


def redraw_figure(results: Path, png: Path, console: Console) -> int:
    """``figure``: draw the figures from a demo.json, without running anything."""
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except ValueError:
        console.error(f"{results} is not JSON; run the demo to write it.")
        return EXIT_ERROR
    from comparison.figure import write_figure  # matplotlib is slow to import

    try:
        for path in write_figure(data, png):
            console.result(f"Figure written to {path}")
    except (KeyError, TypeError):
        console.error(f"{results} is not a demo.json written by this version of the demo.")
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())
