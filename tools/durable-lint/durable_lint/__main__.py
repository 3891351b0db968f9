"""``durable-lint [PATH ...]`` (or ``python -m durable_lint``): parse and validate, then hand over.

Command-line options override ``[tool.durable_lint]`` in the project's ``pyproject.toml``;
``--exclude`` adds to its ``exclude``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from durable_lint.cli import EXIT_ERROR, Options, run
from durable_lint.config import ConfigError, load_config
from durable_lint.rules.codes import CODES, expand


def _codes(value: str) -> list[str]:
    """``DUR001,DUR101`` (prefixes such as ``DUR0`` select a group) -> the codes it names."""
    try:
        return expand(value.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    try:
        return metadata.version("durable-lint")
    except metadata.PackageNotFoundError:
        return "(run from a checkout, not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="durable-lint",
        description="Find replay and determinism mistakes in Durable Functions orchestrators.",
        epilog="Exit codes: 0 clean, 1 findings, 2 usage error or a file that cannot be parsed.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="default: .")
    parser.add_argument("--select", type=_codes, metavar="CODES", help="only these codes")
    parser.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--no-noqa", action="store_true", help="also report findings silenced by # noqa"
    )
    parser.add_argument(
        "--exclude",
        default="",
        metavar="GLOBS",
        help="comma-separated folder or file globs to skip (added to the configured ones)",
    )
    parser.add_argument(
        "--app-root",
        metavar="DIR",
        help="folder whose files are read for registrations, wrappers and clients "
        "(default: app-root in pyproject.toml, else the project root)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run; returns the exit code (argparse errors give 2)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        missing = [p for p in [*args.paths, args.app_root or "."] if not os.path.exists(p)]
        if missing:
            parser.error(f"no such file or directory: {', '.join(missing)}")
        config = load_config(args.paths)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except ConfigError as exc:
        print(f"durable-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    selected = args.select if args.select is not None else config.select
    ignored = args.ignore if args.ignore is not None else config.ignore
    cli_exclude = tuple(filter(None, (p.strip() for p in args.exclude.split(","))))
    options = Options(
        paths=args.paths,
        codes=set(selected or CODES) - set(ignored),
        output_format=args.format,
        use_noqa=not args.no_noqa,
        exclude=config.exclude + cli_exclude,
        project_root=config.root,
        app_root=args.app_root or config.app_root,
    )
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
