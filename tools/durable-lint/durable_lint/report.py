"""Console output: one line per finding and a summary (text), or a JSON list."""

from __future__ import annotations

import json
from typing import TextIO

from durable_lint.findings import LintResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(result: LintResult) -> str:
    """One line: what was found, in how many files, and what was left out."""
    checked = _plural(result.files_checked, "file")
    if result.findings:
        files = len({f.path for f in result.findings})
        text = f"Found {_plural(len(result.findings), 'finding')} in {_plural(files, 'file')}"
        text += f" ({checked} checked"
    elif result.parse_errors:
        text = f"Could not parse {_plural(len(result.parse_errors), 'file')} ({checked} checked"
    else:
        text = f"No findings ({checked} checked"
    if result.suppressed:
        text += f", {result.suppressed} suppressed by noqa"
    if result.excluded:
        text += f", {_plural(result.excluded, 'named file')} excluded"
    if result.parse_errors and result.findings:
        text += f", {_plural(len(result.parse_errors), 'file')} not parsed"
    return text + ")."


def write_text(result: LintResult, out: TextIO) -> None:
    """``path:line:col: CODE message`` lines (parse errors, E999, first), then the summary."""
    for error in result.parse_errors:
        print(error, file=out)
    for finding in result.findings:
        print(f"{finding.path}:{finding.line}:{finding.col}: {finding.message}", file=out)
    print(summary(result), file=out)


def write_json(result: LintResult, out: TextIO) -> None:
    """One JSON list on ``out``: parse errors (E999, E902) first, then the findings, all with the
    same keys, so a reader of stdout sees every problem and stderr stays empty."""
    entries = [error.as_dict() for error in result.parse_errors]
    entries += [finding.as_dict() for finding in result.findings]
    json.dump(entries, out, indent=2)
    print(file=out)
