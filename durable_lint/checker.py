"""Lint a set of files: parse them all, collect the names they register, then run the rules.

Two passes because DUR008 compares each ``call_activity("name")`` with the names registered
anywhere in the scanned files.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from durable_lint.findings import Finding, LintResult, ParseError
from durable_lint.names import ModuleNames
from durable_lint.noqa import is_suppressed, noqa_lines
from durable_lint.orchestrators import find_code_units
from durable_lint.registry import Registry
from durable_lint.rules import RULES


@dataclass
class _Parsed:
    path: str
    source: str
    tree: ast.Module
    names: ModuleNames


def _parse(path: str) -> _Parsed | ParseError:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for invalid escapes
            tree = ast.parse(raw, filename=path)
        source = raw.decode("utf-8", errors="replace")
    except SyntaxError as exc:
        where = f" (line {exc.lineno}, col {exc.offset})" if exc.lineno else ""
        return ParseError(path, f"{exc.msg}{where}")
    except (OSError, ValueError) as exc:
        return ParseError(path, str(exc) or type(exc).__name__)
    except (RecursionError, MemoryError):
        return ParseError(path, "too deeply nested to parse")
    return _Parsed(path, source, tree, ModuleNames.of(tree))


def lint_files(
    paths: Iterable[str], *, codes: Collection[str] | None = None, use_noqa: bool = True
) -> LintResult:
    """Findings for ``paths`` (sorted), restricted to ``codes`` (default: every rule)."""
    result = LintResult()
    parsed: list[_Parsed] = []
    registry = Registry()
    for path in paths:
        outcome = _parse(path)
        if isinstance(outcome, ParseError):
            result.parse_errors.append(outcome)
            continue
        parsed.append(outcome)
        registry.add_module(path, outcome.names)
    result.files_checked = len(parsed)

    checks = [check for code, check in RULES.items() if codes is None or code in codes]
    found: set[Finding] = set()
    for module in parsed:
        units = find_code_units(module.path, module.tree, module.names, registry)
        file_findings = {f for unit in units for check in checks for f in check(unit)}
        if use_noqa and file_findings:
            lines = noqa_lines(module.source)
            kept = {f for f in file_findings if not is_suppressed(f, lines)}
            result.suppressed += len(file_findings) - len(kept)
            file_findings = kept
        found |= file_findings
    result.findings = sorted(found)
    result.parse_errors.sort()
    return result
