"""Lint a set of files: parse them and the rest of the project, index them, then run the rules.

Two passes because a module's meaning depends on the others: DUR008 compares each
``call_activity("name")`` with the names registered anywhere in the project, and a project's
own ``Blueprint`` subclass or module-level ``session`` is defined in another file. Findings are
reported only for the files asked for, so the answer for a file does not depend on which other
files are passed with it.
"""

from __future__ import annotations

import ast
import os
import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from durable_lint.findings import Finding, LintResult, ParseError
from durable_lint.names import ModuleNames
from durable_lint.noqa import is_suppressed, noqa_lines
from durable_lint.orchestrators import find_code_units
from durable_lint.project import Project
from durable_lint.registry import Registry
from durable_lint.rules.catalog import RULES


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
        reason = f"{type(exc).__name__}: {exc.msg}"
        return ParseError(path, exc.lineno or 1, exc.offset or 1, "E999", reason)
    except OSError as exc:
        return ParseError(path, 1, 1, "E902", f"{type(exc).__name__}: {exc.strerror or exc}")
    except ValueError as exc:  # e.g. a null byte
        return ParseError(path, 1, 1, "E999", f"{type(exc).__name__}: {exc}")
    except (RecursionError, MemoryError):
        return ParseError(path, 1, 1, "E999", "RecursionError: too deeply nested to parse")
    return _Parsed(path, source, tree, ModuleNames.of(tree, path))


def lint_files(
    paths: Iterable[str],
    *,
    codes: Collection[str] | None = None,
    use_noqa: bool = True,
    project_paths: Iterable[str] = (),
) -> LintResult:
    """Findings for ``paths`` (sorted), restricted to ``codes`` (default: every rule).

    ``project_paths`` are the project's other files: read for what they register and define,
    never reported on (a file among them that does not parse is skipped).
    """
    result = LintResult()
    linted: list[_Parsed] = []
    wanted = list(dict.fromkeys(paths))
    for path in wanted:
        outcome = _parse(path)
        if isinstance(outcome, ParseError):
            result.parse_errors.append(outcome)
        else:
            linted.append(outcome)
    modules = list(linted)
    seen = {os.path.abspath(path) for path in wanted}
    for path in project_paths:
        if os.path.abspath(path) not in seen:
            seen.add(os.path.abspath(path))
            outcome = _parse(path)
            if isinstance(outcome, _Parsed):
                modules.append(outcome)
    project = Project()
    for module in modules:
        project.add(module.names)
    registry = Registry()
    for module in modules:
        registry.add_module(module.path, module.names, project)
    result.files_checked = len(linted)

    checks = [check for code, check in RULES.items() if codes is None or code in codes]
    found: set[Finding] = set()
    for module in linted:
        units = find_code_units(module.path, module.tree, module.names, registry, project)
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
