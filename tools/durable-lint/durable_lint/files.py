"""Which files to lint: the files given, and the ``.py`` files under the folders given.

Walking skips hidden folders (``.git``, ``.venv``), ``node_modules``, ``__pycache__`` and any
virtual environment (a folder holding ``pyvenv.cfg``). ``exclude`` patterns apply to every
file, named or found, so a pre-commit hook that passes file names honours them too.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


class Exclusions:
    """Glob patterns (``tests/fixtures``, ``*_pb2.py``) matched against a path and its folders.

    A pattern matches a file or folder name anywhere (``generated``), or a path from the
    project root (``tests/lint_cases``); without a project root, the path as given.
    """

    def __init__(self, patterns: Iterable[str] = (), root: str | None = None) -> None:
        self.patterns = tuple(p.strip().strip("/") for p in patterns if p.strip().strip("/"))
        self.root = os.path.abspath(root) if root else None

    def _relative(self, path: str) -> str:
        if self.root:
            relative = os.path.relpath(os.path.abspath(path), self.root)
            if not relative.startswith(os.pardir):
                return relative
        return os.path.normpath(path)

    def __call__(self, path: str) -> bool:
        """Whether ``path`` or one of its folders matches a pattern."""
        if not self.patterns:
            return False
        parts = [p for p in self._relative(path).replace(os.sep, "/").split("/") if p != "."]
        for end in range(1, len(parts) + 1):
            name, prefix = parts[end - 1], "/".join(parts[:end])
            if any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(prefix, p) for p in self.patterns):
                return True
        return False


def _walk(root: str, excluded: Exclusions) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
            and not excluded(os.path.join(folder, d))
        )
        for name in sorted(files):
            path = os.path.normpath(os.path.join(folder, name))
            if name.endswith(".py") and not excluded(path):
                yield path


def discover(paths: Iterable[str], excluded: Exclusions | None = None) -> list[str]:
    """Sorted, de-duplicated file paths; paths must exist (the CLI checks that first)."""
    excluded = excluded or Exclusions()
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            found.update(dict.fromkeys(_walk(path, excluded)))
        elif not excluded(path):
            found[os.path.normpath(path)] = None
    return sorted(found)
