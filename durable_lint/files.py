"""Which files to lint: the files given, and the ``.py`` files under the folders given.

Walking skips hidden folders (``.git``, ``.venv``), ``node_modules``, ``__pycache__``, any
virtual environment (a folder holding ``pyvenv.cfg``) and folders matching ``--exclude``.
A file named on the command line is always linted.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


def _excluded(name: str, rel_path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel_path, p) for p in patterns)


def _walk(root: str, exclude: tuple[str, ...]) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
            and not _excluded(d, os.path.normpath(os.path.join(folder, d)), exclude)
        )
        for name in sorted(files):
            path = os.path.normpath(os.path.join(folder, name))
            if name.endswith(".py") and not _excluded(name, path, exclude):
                yield path


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Sorted, de-duplicated file paths; paths must exist (the CLI checks that first)."""
    patterns = tuple(exclude)
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            found.update(dict.fromkeys(_walk(path, patterns)))
        else:
            found[os.path.normpath(path)] = None
    return sorted(found)
