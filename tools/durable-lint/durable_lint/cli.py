"""The command's work: find files, lint them, print the report, choose the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from durable_lint.checker import lint_files
from durable_lint.files import Exclusions, discover
from durable_lint.report import write_json, write_text

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2  # usage or configuration error, or a file that could not be parsed


@dataclass
class Options:
    """What ``__main__`` parsed and validated (the command line over ``[tool.durable_lint]``)."""

    paths: Sequence[str] = (".",)
    codes: Collection[str] | None = None
    output_format: str = "text"
    use_noqa: bool = True
    exclude: Sequence[str] = field(default_factory=tuple)
    project_root: str | None = None  # where exclude patterns are anchored
    app_root: str | None = None  # read for registrations, wrappers, clients; None: the paths only


def run(options: Options, out: TextIO | None = None) -> int:
    """Lint and report; returns the exit code."""
    out = out or sys.stdout
    excluded = Exclusions(options.exclude, options.project_root)
    files = discover(options.paths, excluded)
    project = discover([options.app_root], excluded) if options.app_root else []
    result = lint_files(
        files, codes=options.codes, use_noqa=options.use_noqa, project_paths=project
    )
    result.excluded = sum(1 for p in options.paths if os.path.isfile(p) and excluded(p))
    code = EXIT_ERROR if result.parse_errors else EXIT_FINDINGS if result.findings else EXIT_CLEAN
    try:
        if options.output_format == "json":
            write_json(result, out)
        else:
            write_text(result, out)
        out.flush()
    except BrokenPipeError:
        _silence_stdout(out)
    return code


def _silence_stdout(out: TextIO) -> None:
    """The reader went away (``| head``): send the rest, and the exit flush, to devnull.

    This is what the Python docs advise for SIGPIPE ("Note on SIGPIPE" in the ``signal``
    module); without it the interpreter prints a BrokenPipeError traceback when it exits.
    """
    try:
        fileno = out.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests' StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
