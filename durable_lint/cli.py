"""The command's work: find files, lint them, print the report, choose the exit code."""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from durable_lint.checker import lint_files
from durable_lint.files import discover
from durable_lint.report import write_json, write_text

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2  # usage error, or a file that could not be parsed


@dataclass
class Options:
    """What ``__main__`` parsed and validated."""

    paths: Sequence[str] = (".",)
    codes: Collection[str] | None = None
    output_format: str = "text"
    use_noqa: bool = True
    exclude: Sequence[str] = field(default_factory=tuple)


def run(options: Options, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Lint and report; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    files = discover(options.paths, options.exclude)
    result = lint_files(files, codes=options.codes, use_noqa=options.use_noqa)
    if options.output_format == "json":
        write_json(result, out, err)
    else:
        write_text(result, out)
    if result.parse_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN
