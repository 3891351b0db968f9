"""durable_lint: a determinism linter for Azure Durable Functions orchestrators in Python.

Stdlib only. Run ``durable-lint [PATH ...]`` (or ``python -m durable_lint``); rules are in
``docs/durable_lint.md``. The programmatic entry point is :func:`lint_files`. The names below
resolve on first use, so importing one module of the package never imports the whole linter.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> the module that defines it
_EXPORTS = {
    "lint_files": "durable_lint.checker",
    "Finding": "durable_lint.findings",
    "LintResult": "durable_lint.findings",
    "ParseError": "durable_lint.findings",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'durable_lint' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
