"""durable_lint: a determinism linter for Azure Durable Functions orchestrators in Python.

Stdlib only. Run ``durable-lint [PATH ...]`` (or ``python -m durable_lint``); rules are in
``docs/durable_lint.md``. The programmatic entry point is :func:`lint_files`.
"""

from __future__ import annotations

from durable_lint.checker import lint_files
from durable_lint.findings import Finding, LintResult, ParseError

__all__ = ["Finding", "LintResult", "ParseError", "lint_files"]
