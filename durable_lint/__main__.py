"""``python -m durable_lint [PATH ...]``: parse and validate the arguments, then hand over."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from durable_lint.cli import EXIT_ERROR, Options, run
from durable_lint.rules.codes import CODES


def _codes(value: str) -> list[str]:
    """``DUR001,DUR101`` (prefixes such as ``DUR0`` select a group) -> the codes it names."""
    selected: list[str] = []
    for part in filter(None, (p.strip().upper() for p in value.split(","))):
        matches = [code for code in CODES if code.startswith(part)]
        if not matches:
            raise argparse.ArgumentTypeError(
                f"unknown rule code {part!r} (known: {', '.join(CODES)})"
            )
        selected += matches
    return selected


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m durable_lint",
        description="Find replay and determinism mistakes in Durable Functions orchestrators.",
        epilog="Exit codes: 0 clean, 1 findings, 2 usage error or a file that cannot be parsed.",
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="default: .")
    parser.add_argument("--select", type=_codes, metavar="CODES", help="only these codes")
    parser.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="skip these")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--no-noqa", action="store_true", help="also report findings silenced by # noqa"
    )
    parser.add_argument(
        "--exclude",
        default="",
        metavar="GLOBS",
        help="comma-separated folder or file globs to skip while walking folders",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run; returns the exit code (argparse errors give 2)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        missing = [path for path in args.paths if not os.path.exists(path)]
        if missing:
            parser.error(f"no such file or directory: {', '.join(missing)}")
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    codes = set(args.select or CODES) - set(args.ignore)
    options = Options(
        paths=args.paths,
        codes=codes,
        output_format=args.format,
        use_noqa=not args.no_noqa,
        exclude=tuple(filter(None, (p.strip() for p in args.exclude.split(",")))),
    )
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
